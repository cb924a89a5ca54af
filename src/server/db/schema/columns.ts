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

/** An amount of money in whole fen (分), read as a number (safe up to 2^53 fen). */
export const fen = (name: string) => bigint(name, { mode: 'number' });
