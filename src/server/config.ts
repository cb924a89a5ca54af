import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  webDist: string;
  /** KEHOU_TRUST_PROXY: addresses/CIDRs of reverse proxies to trust, comma-separated (default loopback) */
  trustProxy: string;
}

export function readConfig(env = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.KEHOU_DATA_DIR ?? './data'),
    webDist: resolve(env.KEHOU_WEB_DIST ?? './dist/web'),
    trustProxy: env.KEHOU_TRUST_PROXY ?? 'loopback',
  };
}
