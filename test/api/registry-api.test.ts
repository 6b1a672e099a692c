// The registry through the SDK's HTTP client against the native API, and through the CLI.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createOsprey } from '../../src/app/index.js';
import { createHttpClient, registerModel } from '../../src/client/index.js';
import { resolveConfig } from '../../src/config/index.js';
import { buildServer } from '../../src/server/index.js';
import { runCli } from '../support/run-cli.js';

describe('registry over HTTP and the CLI', () => {
  let home: string;
  let app: FastifyInstance;
  let url: string;
  let close: () => Promise<void>;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'osprey-registry-'));
    const osprey = await createOsprey(resolveConfig({ home, logLevel: 'silent' }));
    app = await buildServer(osprey, { logger: false });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    close = osprey.close;
  });
  after(async () => {
    await app.close();
    await close();
    rmSync(home, { recursive: true, force: true });
  });

  it('registers versions, moves aliases and resolves URIs through the HTTP client', async () => {
    const client = createHttpClient(url);
    const run = await client.createRun({ runName: 'train' });
    await client.logBatch(run.info.runId, { params: [{ key: 'depth', value: '5' }] });
    const v1 = await registerModel(client, `runs:/${run.info.runId}/model`, 'fraud');
    const v2 = await registerModel(client, `runs:/${run.info.runId}/model`, 'fraud', {
      description: 'retrained',
    });
    assert.deepEqual([v1.version, v2.version], ['1', '2']);
    assert.equal((await client.setModelAlias('fraud', 'champion', '1')).version, '1');
    assert.equal((await client.resolveModel('models:/fraud@champion')).version, '1');
    await client.setModelAlias('fraud', 'champion', '2');
    assert.equal((await client.resolveModel('models:/fraud@champion')).description, 'retrained');
    const lineage = await client.getModelVersionLineage('fraud', '2');
    assert.deepEqual(lineage.run?.params, [{ key: 'depth', value: '5' }]);
    const staged = await client.transitionModelVersionStage('fraud', '2', 'Staging');
    assert.equal(staged.currentStage, 'Staging');
    const models = await client.searchRegisteredModels({ filter: "name = 'fraud'" });
    assert.deepEqual(models.items[0]?.aliases, [{ alias: 'champion', version: '2' }]);
    await assert.rejects(
      client.setModelAlias('fraud', 'latest', '1'),
      (e: { code?: string }) => e.code === 'INVALID_ARGUMENT',
    );
    await assert.rejects(
      client.getModelVersion('fraud', '7'),
      (e: { code?: string }) => e.code === 'NOT_FOUND',
    );
  });

  it('drives the registry from the CLI', async () => {
    const cli = (...args: string[]) => runCli(['--tracking-uri', url, ...args]);
    const ls = await cli('models', 'ls');
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /fraud/);
    assert.match(ls.stdout, /@champion→2/);
    const show = await cli('models', 'show', 'fraud@champion');
    assert.match(show.stdout, /fraud version 2 \(Staging\) @champion/);
    assert.match(show.stdout, /depth/);
    assert.equal((await cli('models', 'alias', 'fraud', 'challenger', '1')).code, 0);
    const json = JSON.parse((await cli('--json', 'models', 'show', 'fraud')).stdout) as {
      versions: { version: string; aliases: string[] }[];
    };
    assert.deepEqual(
      json.versions.map((v) => [v.version, v.aliases]),
      [
        ['2', ['champion']],
        ['1', ['challenger']],
      ],
    );
    assert.equal((await cli('models', 'rm', 'fraud', '1')).code, 0);
    const gone = await cli('models', 'show', 'fraud@challenger');
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /NOT_FOUND/);
    assert.equal((await cli('models', 'rm', 'fraud')).code, 0);
    assert.match((await cli('models', 'ls')).stdout, /\(none\)/);
  });
});
