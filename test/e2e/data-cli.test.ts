import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/run-cli.js';

describe('osprey data (CLI)', () => {
  let home: string;
  let remote: string;
  let clone: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'osprey-data-cli-'));
    remote = mkdtempSync(join(tmpdir(), 'osprey-data-cli-remote-'));
    clone = mkdtempSync(join(tmpdir(), 'osprey-data-cli-clone-'));
    mkdirSync(join(home, 'data/raw/sub'), { recursive: true });
    for (let i = 0; i < 5; i++) writeFileSync(join(home, `data/raw/sub/f${i}.txt`), `row ${i}\n`);
    writeFileSync(join(home, 'data/raw/readme.md'), '# data\n');
  });
  after(() => {
    for (const dir of [home, remote, clone]) rmSync(dir, { recursive: true, force: true });
  });
  const data = (...args: string[]) => runCli(['--home', home, 'data', ...args]);

  it('add writes the pointer and .gitignore, and says what to commit', async () => {
    const added = await data('add', join(home, 'data/raw'));
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /added data\/raw \(6 files, .*\) → data\/raw\.osprey/);
    assert.match(added.stdout, /git add data\/raw\.osprey/);
    assert.match(readFileSync(join(home, 'data/raw.osprey'), 'utf8'), /digest: sha256:[0-9a-f]{64}/);
    assert.equal(readFileSync(join(home, 'data/.gitignore'), 'utf8'), '/raw\n');
  });

  it('status prints a table, or JSON with --json', async () => {
    writeFileSync(join(home, 'data/raw/sub/f1.txt'), 'edited\n');
    const table = await data('status');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /data\/raw.*modified.*ok/);
    assert.match(table.stdout, /modified: data\/raw\/sub\/f1\.txt/);
    const json = JSON.parse((await runCli(['--home', home, '--json', 'data', 'status'])).stdout) as {
      path: string;
      workspace: string;
    }[];
    assert.deepEqual(
      json.map((s) => [s.path, s.workspace]),
      [['data/raw', 'modified']],
    );
  });

  it('checkout refuses to drop unsaved work without --force, then restores', async () => {
    const refused = await data('checkout');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /not in the cache: sub\/f1\.txt.*\(CONFLICT\)/);
    const forced = await data('checkout', '--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /data\/raw: 1 written, 5 unchanged/);
    assert.equal(readFileSync(join(home, 'data/raw/sub/f1.txt'), 'utf8'), 'row 1\n');
  });

  it('push needs a remote; remote add/list; push then pull into a clone', async () => {
    const none = await data('push');
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no remote configured.*\(NOT_FOUND\)/);
    const added = await data('remote', 'add', 'origin', remote, '--secret-access-key', 'hush');
    assert.equal(added.code, 0, added.stderr);
    const listed = await runCli(['--home', home, '--json', 'data', 'remote', 'list']);
    const remotes = JSON.parse(listed.stdout) as {
      name: string;
      isDefault: boolean;
      secretAccessKey?: string;
    }[];
    assert.deepEqual(
      remotes.map((r) => [r.name, r.isDefault, r.secretAccessKey]),
      [['origin', true, '***']],
    );
    const pushed = await data('push', '-j', '4');
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /pushed 7 objects .* 0 already there/);

    mkdirSync(join(clone, 'data'), { recursive: true });
    mkdirSync(join(clone, '.osprey'), { recursive: true });
    writeFileSync(join(clone, 'data/raw.osprey'), readFileSync(join(home, 'data/raw.osprey')));
    writeFileSync(join(clone, '.osprey/config.yaml'), readFileSync(join(home, '.osprey/config.yaml')));
    const pulled = await runCli(['--home', clone, 'data', 'pull']);
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.match(pulled.stdout, /fetched 7 objects/);
    assert.equal(readFileSync(join(clone, 'data/raw/sub/f3.txt'), 'utf8'), 'row 3\n');
  });

  it('gc --dry-run lists, gc removes; bad flags and untracked paths exit non-zero', async () => {
    writeFileSync(join(home, 'data/raw/readme.md'), '# data v2\n');
    assert.equal((await data('add', join(home, 'data/raw'))).code, 0);
    const dry = await data('gc', '--dry-run');
    assert.match(dry.stdout, /would remove 2 objects/, 'the old readme and the old manifest');
    const gc = await data('gc');
    assert.match(gc.stdout, /removed 2 objects/);
    const bad = await data('checkout', '--link', 'symbolic');
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /--link must be one of copy, hardlink, reflink, got symbolic \(INVALID_ARGUMENT\)/,
    );
    const untracked = await data('status', join(home, 'nothing'));
    assert.equal(untracked.code, 1);
    assert.match(untracked.stderr, /not tracked.*\(NOT_FOUND\)/);
    assert.ok(existsSync(join(home, '.osprey/cache')));
  });
});
