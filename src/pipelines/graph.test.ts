import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOspreyError } from '../errors/index.js';
import { formatDagMermaid, formatDagText } from './dag-format.js';
import { buildDag, selectStages } from './graph.js';
import type { Pipeline, Stage } from './types.js';

const stage = (name: string, deps: string[], outs: string[], group?: string): Stage => ({
  name,
  ...(group ? { group } : {}),
  cmd: ['true'],
  wdir: '.',
  deps,
  params: [],
  outs: outs.map((path) => ({ path, kind: 'out', cache: true })),
  alwaysChanged: false,
  frozen: false,
});
const pipeline = (...stages: Stage[]): Pipeline => ({ root: '/p', file: '/p/osprey.yaml', stages });
const onDisk = new Set(['data/raw', 'src/train.py']);
const exists = (path: string) => onDisk.has(path);

function invalid(stages: Stage[], message: RegExp) {
  assert.throws(
    () => buildDag(pipeline(...stages), exists),
    (e: unknown) => isOspreyError(e) && e.code === 'INVALID_ARGUMENT' && message.test(e.message),
  );
}

describe('buildDag', () => {
  // Defined out of order on purpose: the DAG orders them.
  const evaluate = stage('evaluate', ['models/m.bin', 'data/prepared/test'], ['metrics.json']);
  const train = stage('train', ['data/prepared', 'src/train.py'], ['models/m.bin']);
  const prepare = stage('prepare', ['data/raw'], ['data/prepared']);
  const report = stage('report', ['data/raw'], ['report.txt']);

  it('links a dep to the stage writing it, a directory above it or a file inside it', () => {
    const dag = buildDag(pipeline(evaluate, train, prepare, report), exists);
    assert.deepEqual(
      dag.order.map((s) => s.name),
      ['prepare', 'report', 'train', 'evaluate'],
    );
    assert.deepEqual([...dag.upstream.get('evaluate')!].sort(), ['prepare', 'train']);
    // A dep on a directory depends on stages writing inside it.
    const whole = buildDag(pipeline(prepare, stage('zip', ['data'], ['data.zip'])), exists);
    assert.deepEqual([...whole.upstream.get('zip')!], ['prepare']);
  });

  it('prints the DAG as text and as Mermaid', () => {
    const dag = buildDag(pipeline(evaluate, train, prepare), exists);
    assert.equal(formatDagText(dag), 'prepare\ntrain <- prepare\nevaluate <- prepare, train');
    assert.equal(
      formatDagMermaid(dag),
      [
        'flowchart TD',
        '  s0["prepare"]',
        '  s1["train"]',
        '  s2["evaluate"]',
        '  s0 --> s1',
        '  s0 --> s2',
        '  s1 --> s2',
      ].join('\n'),
    );
  });

  it('refuses cycles, naming them', () => {
    invalid(
      [stage('a', ['c.txt'], ['a.txt']), stage('b', ['a.txt'], ['b.txt']), stage('c', ['b.txt'], ['c.txt'])],
      /cycle: 'a' → 'b' → 'c' → 'a'|cycle: 'b' → 'c' → 'a' → 'b'|cycle: 'c' → 'a' → 'b' → 'c'/,
    );
    invalid([stage('self', ['out/x'], ['out'])], /cycle: 'self' → 'self'/);
  });

  it('refuses deps no stage writes and that are not on disk, listing them all', () => {
    invalid(
      [stage('a', ['data/raw', 'nope.csv'], ['a.txt']), stage('b', ['gone/'], ['b.txt'])],
      /missing dependencies.*\n {2}'a' needs nope\.csv\n {2}'b' needs gone/,
    );
  });

  it('refuses two stages writing the same path or one inside the other', () => {
    invalid(
      [stage('a', [], ['out.txt']), stage('b', [], ['out.txt'])],
      /out\.txt is written by both 'a' and 'b'/,
    );
    invalid(
      [stage('a', [], ['models']), stage('b', [], ['models/best/m.bin'])],
      /models\/best\/m\.bin \(of 'b'\) is inside models \(of 'a'\)/,
    );
    invalid([stage('a', [], ['x', 'x'])], /x is listed twice by 'a'/);
    // A sibling sharing a prefix is not inside.
    buildDag(pipeline(stage('a', [], ['models']), stage('b', [], ['models-v2'])), exists);
  });

  it('selects targets (names or groups) with everything upstream', () => {
    const dag = buildDag(
      pipeline(
        prepare,
        train,
        evaluate,
        report,
        stage('s@1', [], ['s1'], 's'),
        stage('s@2', [], ['s2'], 's'),
      ),
      exists,
    );
    assert.deepEqual([...selectStages(dag, ['train'])].sort(), ['prepare', 'train']);
    assert.deepEqual([...selectStages(dag, ['s'])].sort(), ['s@1', 's@2']);
    assert.equal(selectStages(dag, []).size, 6);
    assert.throws(() => selectStages(dag, ['nope']), /no stage 'nope'/);
  });
});
