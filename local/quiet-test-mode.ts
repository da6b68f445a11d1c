/**
 * Runs `load` (an import of function files) without the per-function warnings of
 * `@azure/functions`.
 *
 * NOTE: outside the Functions runtime the library switches to "test mode" and `console.warn`s
 * once for that and once per `app.http` / `app.timer` / `app.storageQueue` call. The local host
 * serves the functions itself, so these lines are expected; one summary line replaces them.
 * https://github.com/Azure/azure-functions-nodejs-library/blob/v4.x/src/app.ts
 */
export async function withQuietTestMode<T>(
  load: () => Promise<T>,
): Promise<{ value: T; suppressed: number }> {
  const original = console.warn;
  let suppressed = 0;
  const testMode = /"@azure\/functions" package (?:is in|to) test mode/;
  console.warn = (...args: unknown[]): void => {
    if (typeof args[0] === 'string' && testMode.test(args[0])) {
      suppressed += 1;
      return;
    }
    original(...args);
  };
  try {
    return { value: await load(), suppressed };
  } finally {
    console.warn = original;
  }
}
