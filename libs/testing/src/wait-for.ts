/** Polls until `check` returns a truthy value, or fails with `what` after timeoutMs. */
export type Truthy<T> = Exclude<T, undefined | null | false | 0 | ''>;

export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 15000,
  everyMs = 50,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs}ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
