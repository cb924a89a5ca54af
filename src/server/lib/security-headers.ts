/**
 * The security headers (helmet's: CSP, frame and referrer policy, nosniff…) computed once at start
 * and set on every response. @fastify/helmet built helmet's middleware anew for every request — its
 * CSP parsing and header checks were ~3% of a release's CPU at the pick-up burst (bench pickup-peak).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

export function securityHeaders(options: HelmetOptions): ReadonlyArray<readonly [string, string]> {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: string | number) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, () => {});
  return [...headers];
}
