/** How long to wait before retrying a lost connection: doubling from the first wait up to a cap, less up to a fifth at random so that many tabs do not knock at once. */
export function retryDelayMs(attempt: number, opts: { firstMs: number; maxMs: number }, random = Math.random()): number {
  const base = Math.min(opts.maxMs, opts.firstMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - 0.2 * random));
}
