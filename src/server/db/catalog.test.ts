/**
 * The tenancy rule, read from the database catalog after the migrations: every school-owned table
 * has school_id, and school_id is in its primary key, in every unique constraint and unique index,
 * and in every foreign key to another school-owned table (Citus distributes such tables on
 * school_id and needs all three). A table without school_id must be one of the named reference
 * tables. The checker is also shown to catch tables that break the rule.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Db, queryRows } from './client';
import { createTestEnv, describeEachDb, type TestEnv } from '../test/harness';

/** Tables that belong to no single school (replicated to every node under Citus). */
export const REFERENCE_TABLES = [
  'districts',
  'schools',
  'accounts',
  'sessions',
  'district_roles',
  'platform_audit_log',
  'approved_providers',
];

interface KeyRow {
  table: string;
  name: string;
  kind: 'primary' | 'unique';
  columns: string[];
}
interface FkRow {
  table: string;
  name: string;
  columns: string[];
  ref_table: string;
  ref_columns: string[];
}

async function tables(db: Db): Promise<{ name: string; hasSchoolId: boolean }[]> {
  const rows = await queryRows<{ name: string; has_school_id: boolean }>(
    db,
    sql`SELECT c.relname AS name,
               EXISTS (SELECT 1 FROM pg_attribute a
                        WHERE a.attrelid = c.oid AND a.attname = 'school_id' AND a.attnum > 0 AND NOT a.attisdropped) AS has_school_id
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         ORDER BY 1`,
  );
  return rows.map((r) => ({ name: r.name, hasSchoolId: r.has_school_id }));
}

/** Primary keys, unique constraints and unique indexes (a unique index is a unique key too). */
async function uniqueKeys(db: Db): Promise<KeyRow[]> {
  return queryRows<KeyRow>(
    db,
    sql`SELECT t.relname AS "table", i.relname AS name,
               CASE WHEN x.indisprimary THEN 'primary' ELSE 'unique' END AS kind,
               ARRAY(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class t ON t.oid = x.indrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = 'public' AND x.indisunique
         ORDER BY 1, 2`,
  );
}

async function foreignKeys(db: Db): Promise<FkRow[]> {
  return queryRows<FkRow>(
    db,
    sql`SELECT t.relname AS "table", c.conname AS name, r.relname AS ref_table,
               ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
               ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                       JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS ref_columns
          FROM pg_constraint c
          JOIN pg_class t ON t.oid = c.conrelid
          JOIN pg_class r ON r.oid = c.confrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = 'public' AND c.contype = 'f'
         ORDER BY 1, 2`,
  );
}

/** Every breach of the tenancy rule, one line each; empty when the schema keeps it. */
export async function tenancyViolations(db: Db, reference = REFERENCE_TABLES): Promise<string[]> {
  const out: string[] = [];
  const all = await tables(db);
  const schoolOwned = new Set(all.filter((t) => t.hasSchoolId).map((t) => t.name));
  const referenceSet = new Set(reference);
  for (const t of all) {
    if (!t.hasSchoolId && !referenceSet.has(t.name)) out.push(`${t.name}: no school_id and not a reference table`);
    if (t.hasSchoolId && referenceSet.has(t.name)) out.push(`${t.name}: listed as a reference table but has school_id`);
  }
  for (const name of reference) if (!all.some((t) => t.name === name)) out.push(`${name}: listed as a reference table but missing`);

  const keys = await uniqueKeys(db);
  for (const t of schoolOwned) {
    if (!keys.some((k) => k.table === t && k.kind === 'primary')) out.push(`${t}: no primary key`);
  }
  for (const k of keys) {
    if (schoolOwned.has(k.table) && !k.columns.includes('school_id')) {
      out.push(`${k.table}: ${k.kind} key ${k.name} (${k.columns.join(', ')}) lacks school_id`);
    }
  }
  for (const fk of await foreignKeys(db)) {
    if (!schoolOwned.has(fk.table) || !schoolOwned.has(fk.ref_table)) continue;
    const i = fk.columns.indexOf('school_id');
    if (i < 0 || fk.ref_columns[i] !== 'school_id') {
      out.push(`${fk.table}: foreign key ${fk.name} to ${fk.ref_table} does not match on school_id`);
    }
  }
  return out;
}

describeEachDb('database catalog', (kind) => {
  let env: TestEnv;
  let db: Db;

  beforeAll(async () => {
    env = await createTestEnv(kind, { seed: false });
    db = env.database.db;
  });
  afterAll(async () => {
    await env?.close();
  });

  it('has the school-owned tables of the foundation, each with school_id', async () => {
    const owned = (await tables(db)).filter((t) => t.hasSchoolId).map((t) => t.name);
    for (const t of [
      'school_roles',
      'campuses',
      'staff',
      'classes',
      'students',
      'guardians',
      'student_guardians',
      'pickup_persons',
      'consents',
      'audit_log',
    ]) {
      expect(owned).toContain(t);
    }
  });

  it('every school-owned table has school_id in its primary key, unique keys and foreign keys; every other table is a named reference table', async () => {
    expect(await tenancyViolations(db)).toEqual([]);
  });

  it('school_id is the leading key column, so each school’s rows sit together in the index', async () => {
    const keys = await uniqueKeys(db);
    const owned = new Set((await tables(db)).filter((t) => t.hasSchoolId).map((t) => t.name));
    const notLeading = keys.filter((k) => owned.has(k.table) && k.kind === 'primary' && k.columns[0] !== 'school_id');
    expect(notLeading.map((k) => `${k.table} (${k.columns.join(', ')})`)).toEqual([]);
  });

  it('catches a table that breaks the rule', async () => {
    // DDL in a transaction that is rolled back: the checker sees the bad tables, nothing remains.
    const rollback = new Error('rollback');
    let seen: string[] = [];
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`CREATE TABLE t_bad_pk (school_id uuid NOT NULL, id uuid PRIMARY KEY)`);
        await tx.execute(sql`CREATE TABLE t_bad_unique (school_id uuid NOT NULL, id uuid NOT NULL, code text NOT NULL,
                               PRIMARY KEY (school_id, id), CONSTRAINT t_bad_unique_code UNIQUE (code))`);
        await tx.execute(sql`CREATE UNIQUE INDEX t_bad_unique_idx ON t_bad_unique (lower(code), id)`);
        await tx.execute(sql`CREATE TABLE t_no_pk (school_id uuid NOT NULL, note text)`);
        await tx.execute(sql`CREATE TABLE t_bad_fk (school_id uuid NOT NULL, id uuid NOT NULL, student_id uuid NOT NULL,
                               PRIMARY KEY (school_id, id))`);
        await tx.execute(sql`CREATE UNIQUE INDEX t_students_id ON students (id)`);
        await tx.execute(sql`ALTER TABLE t_bad_fk ADD CONSTRAINT t_bad_fk_student FOREIGN KEY (student_id) REFERENCES students (id)`);
        await tx.execute(sql`CREATE TABLE t_unlisted (id uuid PRIMARY KEY)`);
        seen = await tenancyViolations(tx as unknown as Db);
        throw rollback;
      })
      .catch((e) => {
        if (e !== rollback) throw e;
      });
    expect(seen).toEqual(
      expect.arrayContaining([
        'students: unique key t_students_id (id) lacks school_id',
        't_bad_pk: primary key t_bad_pk_pkey (id) lacks school_id',
        't_bad_unique: unique key t_bad_unique_code (code) lacks school_id',
        't_bad_fk: foreign key t_bad_fk_student to students does not match on school_id',
        't_no_pk: no primary key',
        't_unlisted: no school_id and not a reference table',
      ]),
    );
    // an expression index whose only column is not school_id is caught as well
    expect(seen.some((v) => v.startsWith('t_bad_unique: unique key t_bad_unique_idx'))).toBe(true);
    expect(await tenancyViolations(db)).toEqual([]);
  });

  it('fails when a reference table is listed but missing, or has school_id', async () => {
    expect(await tenancyViolations(db, [...REFERENCE_TABLES, 'no_such_table'])).toEqual([
      'no_such_table: listed as a reference table but missing',
    ]);
    const v = await tenancyViolations(db, [...REFERENCE_TABLES, 'students']);
    expect(v).toContain('students: listed as a reference table but has school_id');
  });
});
