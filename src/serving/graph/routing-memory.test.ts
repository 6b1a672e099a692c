import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoutingMemory } from './routing-memory.js';

describe('routing memory', () => {
  it('forgets the oldest routing past its capacity, and a re-served id counts as new', () => {
    const memory = createRoutingMemory(2);
    memory.remember('a', { r: 0 });
    memory.remember('b', { r: 1 });
    memory.remember('a', { r: 1 });
    memory.remember('c', { r: 0 });
    assert.equal(memory.recall('b'), undefined);
    assert.deepEqual(memory.recall('a'), { r: 1 });
    assert.deepEqual(memory.recall('c'), { r: 0 });
  });

  it('keeps nothing for requests without an id or a route, or at capacity 0', () => {
    const memory = createRoutingMemory(5);
    memory.remember('', { r: 0 });
    memory.remember('plain', {});
    assert.equal(memory.recall(''), undefined);
    assert.equal(memory.recall('plain'), undefined);
    const none = createRoutingMemory(0);
    none.remember('a', { r: 0 });
    assert.equal(none.recall('a'), undefined);
  });
});
