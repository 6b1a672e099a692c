import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, startRun } from '../../src/client/index.js';
import { runCli } from '../support/run-cli.js';

describe('osprey CLI on the embedded store', () => {
  let home: string;
  let runIds: string[];
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'osprey-cli-'));
    const client = await connect({ home, env: {} });
    runIds = [];
    for (const [i, lr] of ['0.1', '0.01', '0.001'].entries()) {
      const run = await startRun(client, {
        experimentName: 'cli-exp',
        runName: `r${i}`,
        params: { lr },
        recordSource: false,
        endOnExit: false,
      });
      run.logMetric('acc', 0.8 + i / 20, { step: 1 });
      await run.logText(`report ${i}`, 'reports/summary.txt');
      await run.end();
      runIds.push(run.runId);
    }
    await client.close();
  });
  after(() => rmSync(home, { recursive: true, force: true }));
  const cli = (...args: string[]) => runCli(['--home', home, ...args]);

  it('creates and lists experiments, as a table and as JSON', async () => {
    const created = await cli('experiments', 'create', 'second', '--tag', 'team=ml');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /created experiment 'second' with id \d+/);
    const table = await cli('experiments', 'ls');
    assert.match(table.stdout, /cli-exp/);
    assert.match(table.stdout, /second/);
    const json = JSON.parse((await cli('--json', 'experiments', 'ls')).stdout) as { name: string }[];
    assert.deepEqual(json.map((e) => e.name).sort(), ['Default', 'cli-exp', 'second']);
    const duplicate = await cli('experiments', 'create', 'second');
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /already exists\. \(ALREADY_EXISTS\)/);
  });

  it('lists, searches, shows and compares runs', async () => {
    const ls = await cli('runs', 'ls', '-e', 'cli-exp');
    assert.equal(ls.code, 0, ls.stderr);
    for (const id of runIds) assert.ok(ls.stdout.includes(id));
    const found = JSON.parse(
      (
        await cli(
          '--json',
          'runs',
          'search',
          'metrics.acc > 0.82',
          '-e',
          'cli-exp',
          '--order-by',
          'metrics.acc DESC',
        )
      ).stdout,
    ) as { info: { runName: string } }[];
    assert.deepEqual(
      found.map((r) => r.info.runName),
      ['r2', 'r1'],
    );
    const show = await cli('runs', 'show', runIds[0]!);
    assert.match(show.stdout, /lr\s*│\s*0\.1/);
    const compare = await cli('runs', 'compare', runIds[0]!, runIds[1]!);
    assert.match(compare.stdout, /param lr/);
    assert.match(compare.stdout, /2 of 2 rows differ/);
  });

  it('lists and downloads artifacts', async () => {
    const ls = await cli('artifacts', 'ls', runIds[1]!, '-r');
    assert.match(ls.stdout, /reports\/summary\.txt/);
    const dest = join(home, 'out');
    const get = await cli('artifacts', 'get', runIds[1]!, 'reports', '-o', dest);
    assert.equal(get.code, 0, get.stderr);
    assert.equal(readFileSync(join(dest, 'summary.txt'), 'utf8'), 'report 1');
  });

  it('deletes runs and reports errors with non-zero exit codes', async () => {
    assert.equal((await cli('runs', 'rm', runIds[2]!)).code, 0);
    const ls = await cli('--json', 'runs', 'ls', '-e', 'cli-exp');
    assert.equal((JSON.parse(ls.stdout) as unknown[]).length, 2);
    const missing = await cli('runs', 'show', '0123456789abcdef0123456789abcdef');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /not found \(NOT_FOUND\)/);
    const badFilter = await cli('runs', 'search', 'metrics.acc >', '-e', 'cli-exp');
    assert.equal(badFilter.code, 1);
    assert.match(badFilter.stderr, /Invalid filter/);
    assert.equal((await cli('no-such-command')).code, 2);
    const unreachable = await runCli(['--tracking-uri', 'http://127.0.0.1:1', 'runs', 'ls']);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /cannot reach the tracking server/);
  });
});
