import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureIgnored, ignoreLine } from './gitignore.js';

const dir = mkdtempSync(join(tmpdir(), 'osprey-gitignore-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('.gitignore upkeep', () => {
  it('adds an anchored line once, keeping what was there', async () => {
    writeFileSync(join(dir, '.gitignore'), '*.log');
    assert.equal(await ensureIgnored(dir, 'raw'), true);
    assert.equal(await ensureIgnored(dir, 'raw'), false);
    assert.equal(await ensureIgnored(dir, 'model.bin'), true);
    assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), '*.log\n/raw\n/model.bin\n');
  });

  it('escapes gitignore pattern characters', () => {
    assert.equal(ignoreLine('a*b?[c]'), '/a\\*b\\?\\[c]');
    assert.equal(ignoreLine('#notes'), '/\\#notes');
    assert.equal(ignoreLine('!x'), '/\\!x');
    assert.equal(ignoreLine('trail  '), '/trail\\ \\ ');
  });
});
