import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isOspreyError } from '../../errors/index.js';
import { openLocalCache } from './local-cache.js';
import { serializeManifest, sha256Hex } from './manifest.js';
import { readPointer, writePointer } from './pointer-file.js';
import { age, tempProject, writeFiles } from './test-support.js';

const sha = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');
const code = (expected: string) => (e: unknown) => isOspreyError(e) && e.code === expected;

const FILES = {
  'data/raw/a.txt': 'alpha\n',
  'data/raw/run.sh': '#!/bin/sh\necho hi\n',
  'data/raw/sub/deep/b.csv': 'x,y\n1,2\n',
  'data/raw/sub/c.bin': Buffer.alloc(70_000, 3),
  'model.bin': 'weights',
};

let project: Awaited<ReturnType<typeof tempProject>>;
beforeEach(async () => {
  project = await tempProject();
  writeFiles(project.root, FILES);
  chmodSync(join(project.root, 'data/raw/run.sh'), 0o755);
  age(project.root);
});
afterEach(() => project.dispose());

describe('add', () => {
  it('records files and nested directories by content, with pointer files and .gitignore lines', async () => {
    const { repo, root } = project;
    const [dir, file] = await repo.add(['data/raw', 'model.bin']);
    // The directory digest is the SHA-256 of the canonical manifest of the files, hashed here independently.
    const expected = serializeManifest({
      entries: [
        { path: 'a.txt', digest: sha(FILES['data/raw/a.txt']), size: 6, mode: 0o644 },
        { path: 'run.sh', digest: sha(FILES['data/raw/run.sh']), size: 18, mode: 0o755 },
        { path: 'sub/c.bin', digest: sha(FILES['data/raw/sub/c.bin']), size: 70_000, mode: 0o644 },
        { path: 'sub/deep/b.csv', digest: sha(FILES['data/raw/sub/deep/b.csv']), size: 8, mode: 0o644 },
      ],
    });
    assert.deepEqual(dir, {
      path: 'data/raw',
      pointer: 'data/raw.osprey',
      digest: sha256Hex(expected),
      size: 70_032,
      isDir: true,
      nfiles: 4,
      hashed: 4,
      changed: true,
    });
    assert.equal(file?.digest, sha('weights'));
    const pointer = await readPointer(join(root, 'data/raw.osprey'));
    assert.deepEqual(pointer.outs, [
      { path: 'raw', digest: sha256Hex(expected), size: 70_032, nfiles: 4, isDir: true },
    ]);
    // The manifest is an object of the cache, like every file.
    const manifestObject = join(root, '.osprey/cache', dir!.digest.slice(0, 2), dir!.digest.slice(2));
    assert.deepEqual(readFileSync(manifestObject), expected);
    assert.ok(existsSync(join(root, '.osprey/cache', sha('weights').slice(0, 2), sha('weights').slice(2))));
    assert.equal(readFileSync(join(root, 'data/.gitignore'), 'utf8'), '/raw\n');
    assert.equal(readFileSync(join(root, '.gitignore'), 'utf8'), '/model.bin\n');
    assert.match(readFileSync(join(root, '.osprey/.gitignore'), 'utf8'), /\/cache\//);
  });

  it('re-adding unchanged data reads nothing and leaves the pointer alone', async () => {
    await project.repo.add(['data/raw']);
    project.read.length = 0;
    const [again] = await project.repo.add(['data/raw']);
    assert.equal(again?.changed, false);
    assert.deepEqual(project.read, []);
    assert.equal(readFileSync(join(project.root, 'data/.gitignore'), 'utf8'), '/raw\n');
  });

  it('refuses nested tracking, pointer files, paths outside the project and missing paths', async () => {
    const { repo } = project;
    await repo.add(['data/raw']);
    await assert.rejects(repo.add(['data/raw/sub']), code('INVALID_ARGUMENT'));
    await assert.rejects(repo.add(['data']), code('INVALID_ARGUMENT'), 'data/ holds data/raw.osprey');
    await assert.rejects(repo.add(['data/raw.osprey']), code('INVALID_ARGUMENT'));
    await assert.rejects(repo.add(['../elsewhere']), code('INVALID_ARGUMENT'));
    await assert.rejects(repo.add(['.osprey/cache']), code('INVALID_ARGUMENT'));
    await assert.rejects(repo.add(['nope']), code('NOT_FOUND'));
  });
});

describe('status', () => {
  it('detects modified, missing and not-in-cache data without re-reading unchanged files', async () => {
    const { repo, root, read } = project;
    await repo.add(['data/raw', 'model.bin']);
    read.length = 0;
    const clean = await repo.status();
    assert.deepEqual(
      clean.map((s) => [s.path, s.workspace, s.notInCache, s.hashed]),
      [
        ['data/raw', 'unchanged', 0, 0],
        ['model.bin', 'unchanged', 0, 0],
      ],
    );
    assert.equal(read.length, 0, 'no file was read: the stat cache vouched for all of them');

    writeFileSync(join(root, 'data/raw/a.txt'), 'alpha, edited\n');
    writeFileSync(join(root, 'data/raw/new.txt'), 'new');
    rmSync(join(root, 'data/raw/sub/deep/b.csv'));
    rmSync(join(root, 'model.bin'));
    const cBin = sha(FILES['data/raw/sub/c.bin']);
    rmSync(join(root, '.osprey/cache', cBin.slice(0, 2), cBin.slice(2)), { force: true });
    const [dir, file] = await repo.status();
    assert.equal(dir?.workspace, 'modified');
    assert.deepEqual(dir?.changes, { added: ['new.txt'], modified: ['a.txt'], deleted: ['sub/deep/b.csv'] });
    assert.equal(dir?.notInCache, 1);
    assert.equal(file?.workspace, 'missing');
    assert.deepEqual(
      read.map((p) => p.slice(root.length + 1)).sort(),
      ['data/raw/a.txt', 'data/raw/new.txt'],
      'only the edited and the new file were read',
    );
  });

  it('status of targets: a pointer, a directory of pointers; an untracked target is NOT_FOUND with a hint', async () => {
    await project.repo.add(['data/raw', 'model.bin']);
    const only = await project.repo.status(['model.bin']);
    assert.deepEqual(
      only.map((s) => s.path),
      ['model.bin'],
    );
    // A directory that is not tracked itself stands for the pointers below it.
    assert.deepEqual(
      (await project.repo.status(['data'])).map((s) => s.path),
      ['data/raw'],
    );
    await assert.rejects(project.repo.status(['data/raw/a.txt']), /inside the tracked directory/);
    await assert.rejects(project.repo.status(['other']), code('NOT_FOUND'));
  });
});

describe('checkout', () => {
  it('restores deleted and modified files from the cache, atomically and with their modes', async () => {
    const { repo, root } = project;
    await repo.add(['data/raw', 'model.bin']);
    rmSync(join(root, 'data/raw'), { recursive: true });
    rmSync(join(root, 'model.bin'));
    const results = await repo.checkout();
    assert.deepEqual(
      results.map((r) => [r.path, r.written, r.unchanged]),
      [
        ['data/raw', 4, 0],
        ['model.bin', 1, 0],
      ],
    );
    for (const [path, content] of Object.entries(FILES))
      assert.deepEqual(readFileSync(join(root, path)), Buffer.from(content));
    assert.equal(statSync(join(root, 'data/raw/run.sh')).mode & 0o111, 0o111);
    const again = await repo.checkout();
    assert.deepEqual(
      again.map((r) => r.written),
      [0, 0],
    );
  });

  it('refuses to overwrite changes that exist only in the workspace, unless forced; extra files need --force', async () => {
    const { repo, root } = project;
    await repo.add(['data/raw']);
    writeFileSync(join(root, 'data/raw/a.txt'), 'unsaved work');
    writeFileSync(join(root, 'data/raw/extra.txt'), 'extra');
    await assert.rejects(
      repo.checkout(['data/raw']),
      (e) => code('CONFLICT')(e) && /a\.txt/.test((e as Error).message),
    );
    assert.equal(readFileSync(join(root, 'data/raw/a.txt'), 'utf8'), 'unsaved work');
    // Content that is in the cache (here: another tracked file's bytes) is safe to overwrite.
    writeFileSync(join(root, 'data/raw/a.txt'), FILES['data/raw/sub/deep/b.csv']);
    const [kept] = await repo.checkout(['data/raw']);
    assert.deepEqual(kept?.kept, ['extra.txt']);
    assert.equal(readFileSync(join(root, 'data/raw/a.txt'), 'utf8'), FILES['data/raw/a.txt']);
    writeFileSync(join(root, 'data/raw/a.txt'), 'unsaved again');
    const [forced] = await repo.checkout(['data/raw'], { force: true });
    assert.deepEqual(forced?.removed, ['extra.txt']);
    assert.equal(existsSync(join(root, 'data/raw/extra.txt')), false);
    assert.equal(readFileSync(join(root, 'data/raw/a.txt'), 'utf8'), FILES['data/raw/a.txt']);
  });

  it('--link hardlink shares the cache object (read-only); executables are still copied', async () => {
    const { repo, root } = project;
    await repo.add(['data/raw']);
    rmSync(join(root, 'data/raw'), { recursive: true });
    await repo.checkout(['data/raw'], { link: 'hardlink' });
    const digest = sha(FILES['data/raw/a.txt']);
    const object = join(root, '.osprey/cache', digest.slice(0, 2), digest.slice(2));
    assert.equal(statSync(join(root, 'data/raw/a.txt')).ino, statSync(object).ino);
    assert.equal(statSync(join(root, 'data/raw/a.txt')).mode & 0o222, 0, 'linked files are read-only');
    const script = sha(FILES['data/raw/run.sh']);
    assert.notEqual(
      statSync(join(root, 'data/raw/run.sh')).ino,
      statSync(join(root, '.osprey/cache', script.slice(0, 2), script.slice(2))).ino,
    );
    const [status] = await repo.status(['data/raw']);
    assert.equal(status?.workspace, 'unchanged');
  });

  it('verifies objects on read: a corrupted cache object is reported, not checked out', async () => {
    const { repo, root } = project;
    await repo.add(['model.bin']);
    const digest = sha('weights');
    const object = join(root, '.osprey/cache', digest.slice(0, 2), digest.slice(2));
    chmodSync(object, 0o644);
    writeFileSync(object, 'WEIGHTS'); // same size, other bytes
    rmSync(join(root, 'model.bin'));
    await assert.rejects(
      repo.checkout(['model.bin']),
      (e) => code('INTERNAL')(e) && /corrupted/.test((e as Error).message),
    );
    assert.equal(existsSync(join(root, 'model.bin')), false);
  });

  it('rejects a manifest entry that climbs out of the directory (../x) and writes nothing', async () => {
    const { repo, root } = project;
    await repo.add(['model.bin']);
    const evil = Buffer.from(
      JSON.stringify({
        version: 1,
        algorithm: 'sha256',
        entries: [{ path: '../escaped.txt', digest: sha('weights'), size: 7, mode: 420 }],
      }),
    );
    const info = await openLocalCache(join(root, '.osprey/cache')).store.put(evil);
    await writePointer({
      file: join(root, 'data/evil.osprey'),
      outs: [{ path: 'evil', digest: info.digest, size: 7, nfiles: 1, isDir: true }],
      extra: {},
    });
    await assert.rejects(
      repo.checkout(['data/evil']),
      (e) => code('INVALID_ARGUMENT')(e) && /unsafe path/.test((e as Error).message),
    );
    assert.equal(existsSync(join(root, 'data/escaped.txt')), false);
    assert.equal(existsSync(join(root, 'escaped.txt')), false);
  });
});

describe('symlinks', () => {
  it('are refused by default, naming the link', async () => {
    const { repo, root } = project;
    symlinkSync(join(root, 'model.bin'), join(root, 'data/raw/link.bin'));
    await assert.rejects(
      repo.add(['data/raw']),
      (e) => code('INVALID_ARGUMENT')(e) && /link\.bin is a symlink/.test((e as Error).message),
    );
    symlinkSync(join(root, 'model.bin'), join(root, 'alias.bin'));
    await assert.rejects(repo.add(['alias.bin']), /symlink/);
  });

  it('are followed with followSymlinks (recorded in the pointer); checkout writes regular files; cycles are refused', async () => {
    const { repo, root } = project;
    mkdirSync(join(root, 'shared'));
    writeFileSync(join(root, 'shared/big.csv'), 'a,b\n');
    symlinkSync(join(root, 'shared'), join(root, 'data/raw/shared'));
    const [added] = await repo.add(['data/raw'], { followSymlinks: true });
    assert.equal(added?.nfiles, 5);
    assert.equal((await readPointer(join(root, 'data/raw.osprey'))).outs[0]?.followSymlinks, true);
    assert.equal((await repo.status(['data/raw']))[0]?.workspace, 'unchanged');
    rmSync(join(root, 'data/raw'), { recursive: true });
    await repo.checkout(['data/raw']);
    assert.ok(statSync(join(root, 'data/raw/shared')).isDirectory());
    assert.equal(readFileSync(join(root, 'data/raw/shared/big.csv'), 'utf8'), 'a,b\n');
    symlinkSync(join(root, 'data'), join(root, 'data/raw/loop'));
    await assert.rejects(repo.add(['data/raw'], { followSymlinks: true }), /cycle/);
  });
});

describe('gc', () => {
  it('removes objects no pointer refers to; --dry-run only lists them', async () => {
    const { repo, root } = project;
    await repo.add(['data/raw', 'model.bin']);
    writeFileSync(join(root, 'model.bin'), 'weights v2');
    await repo.add(['model.bin']);
    const dry = await repo.gc({ dryRun: true });
    assert.deepEqual(
      dry.removed.map((o) => o.digest),
      [sha('weights')],
    );
    assert.equal(dry.kept, 6, 'four files, one manifest, model v2');
    const digest = sha('weights');
    assert.ok(existsSync(join(root, '.osprey/cache', digest.slice(0, 2), digest.slice(2))));
    const done = await repo.gc();
    assert.equal(done.removed.length, 1);
    assert.equal(existsSync(join(root, '.osprey/cache', digest.slice(0, 2), digest.slice(2))), false);
    assert.deepEqual(
      (await repo.status()).map((s) => s.notInCache),
      [0, 0],
    );
  });

  it('refuses when a directory manifest is missing, since its files cannot be known', async () => {
    const { repo, root } = project;
    const [dir] = await repo.add(['data/raw']);
    rmSync(join(root, '.osprey/cache', dir!.digest.slice(0, 2), dir!.digest.slice(2)));
    await assert.rejects(repo.gc(), code('CONFLICT'));
    assert.equal((await repo.gc({ force: true, dryRun: true })).removed.length, 4);
  });
});
