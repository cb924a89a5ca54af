/**
 * Browser journeys (`npm run test:e2e`): e2e/**\/*.e2e.ts, one file at a time (each file starts its
 * own server and Chromium), with timeouts long enough for a full demo district and a cold browser.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    // A journey that fails halfway leaves the page in an unknown state: never retry silently.
    retry: 0,
  },
});
