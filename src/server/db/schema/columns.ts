/** Column helpers shared by every schema file. */
import { bigint, timestamp, uuid } from 'drizzle-orm/pg-core';
import { schools } from './core';

/** A point in time, stored with its time zone, read as a Date. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The tenant column every school-owned table starts with (docs/ARCHITECTURE.md, tenancy). */
export const schoolId = () =>
  uuid('school_id')
    .notNull()
    .references(() => schools.id);

/**
 * The tenant column of a table written per pupil, per request or per day (the audit log, seat
 * requests, roll call and releases, notifications, the ledger…): the same column without a foreign
 * key to `schools`. Each insert under such a key takes a KEY SHARE lock on the school's one row; many
 * concurrent writers of one school turn those into MultiXacts, and the check cost about 100 times an
 * ordinary key check in the opening rush (bench enroll-rush, pg_stat_statements). The value always
 * comes from the actor's session, never from input, and these rows reach their school through their
 * composite keys to school-owned parents (students, care groups, offerings…) wherever they have one.
 */
export const hotSchoolId = () => uuid('school_id').notNull();

/** An amount of money in whole fen (分), read as a number (safe up to 2^53 fen). */
export const fen = (name: string) => bigint(name, { mode: 'number' });
