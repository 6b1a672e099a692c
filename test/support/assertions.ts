import assert from 'node:assert/strict';

/** Asserts that a promise rejects with an OspreyError of `code` (and a message matching `message`). */
export function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  return assert.rejects(promise, (error: { code?: string; message?: string }) => {
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    if (message) assert.match(error.message ?? '', message);
    return true;
  });
}
