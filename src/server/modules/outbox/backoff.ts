/** Retry delays: exponential from `baseMs`, doubled per failed attempt, capped at `capMs`. */
export function backoffMs(attempt: number, baseMs = 5_000, capMs = 3_600_000): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(capMs, baseMs * 2 ** Math.min(n - 1, 40));
}
