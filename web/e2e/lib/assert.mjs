export class AssertionError extends Error {}

/** @param {unknown} condition @param {string} message @returns {asserts condition} */
export function assert(condition, message) {
  if (!condition) throw new AssertionError(message);
}

/** @param {string | null} actual @param {string} expected @param {string} what */
export function assertEqual(actual, expected, what) {
  assert(actual?.trim() === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
