/**
 * The database schema, one file per area. Tenancy rule (docs/ARCHITECTURE.md): every school-owned
 * table has `school_id`, and its primary key and every unique key include it, so the table can be
 * distributed on `school_id` (Citus). `src/server/db/catalog.test.ts` checks it on the catalog.
 */
export * from './core';
export * from './plans';
export * from './enrollment';
export * from './daily';
export * from './money';
export * from './payments';
export * from './lunch';
export * from './subsidies';
export * from './afternoon';
export * from './rota';
export * from './carelog';
export * from './outbox';
