/**
 * The request's actor: the account, the context it acts in (one school, or one district) and its
 * roles there. Loaded from the session cookie with one query per request; sessions live in the
 * database so any number of processes can serve the same users.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Permission, type Role, permissionsOf } from '../../shared/permissions';
import { todayInChina } from '../../shared/china-time';
import { type Database, type Db, queryRows } from '../db/client';
import { toSql } from '../db/exec';
import { namedForDutyText } from '../modules/rota/effective';
import { forbidden } from '../lib/errors';

export const SESSION_COOKIE = 'kehou_sid';
export const SESSION_DAYS = 14;

export interface Actor {
  accountId: string;
  displayName: string;
  sessionHash: string;
  csrfToken: string;
  schoolId: string | null;
  districtId: string | null;
  roles: Role[];
  permissions: Set<Permission>;
  ip: string;
  /** set when the rota makes the account the day's duty leader without the standing role (authz/day-roles.ts):
   * that day (YYYY-MM-DD), and `roles`/`permissions` then include `duty`'s for this request */
  dutyToday?: string;
  /** the session lookup found one of the account's staff records named for today's duty (rota/effective.ts) */
  namedForDuty?: boolean;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

interface SessionRow {
  token_hash: string;
  csrf_token: string;
  active_school_id: string | null;
  active_district_id: string | null;
  account_id: string;
  display_name: string;
  school_roles: string[] | null;
  is_district: boolean;
  named_for_duty: boolean;
}

/** The session, its account and its roles in the active context: one statement, parsed once per
 * connection (a named prepared statement on PostgreSQL) — it runs on every API request. */
export const SESSION_SQL = `
SELECT s.token_hash, s.csrf_token, s.active_school_id, s.active_district_id,
       a.id AS account_id, a.display_name,
       (SELECT array_agg(r.role ORDER BY r.role) FROM school_roles r
         WHERE r.school_id = s.active_school_id AND r.account_id = a.id) AS school_roles,
       EXISTS (SELECT 1 FROM district_roles d
         WHERE d.district_id = s.active_district_id AND d.account_id = a.id) AS is_district,
       EXISTS (SELECT 1 FROM staff st WHERE st.school_id = s.active_school_id AND st.account_id = a.id
                 AND ${namedForDutyText('$2::date', 'st')}) AS named_for_duty
  FROM sessions s JOIN accounts a ON a.id = s.account_id
 WHERE s.token_hash = $1 AND s.expires_at > now()`;

/** Where the session lookup runs: the pg pool (named statement), PGlite (bound parameters), or any drizzle Db. */
export type SessionSource = Db | Pick<Database, 'db' | 'pool' | 'pglite'>;

const isDb = (s: SessionSource): s is Db => typeof (s as Db).execute === 'function';

async function sessionRow(source: SessionSource, tokenHash: string, today: string): Promise<SessionRow | undefined> {
  const values = [tokenHash, today];
  if (isDb(source)) return (await queryRows<SessionRow>(source, toSql(SESSION_SQL, values)))[0];
  if (source.pool) return (await source.pool.query<SessionRow>({ name: 'auth_session', text: SESSION_SQL, values })).rows[0];
  if (source.pglite) return (await source.pglite.query<SessionRow>(SESSION_SQL, values)).rows[0];
  return sessionRow(source.db, tokenHash, today);
}

/** The session's actor; `today` (China) decides `namedForDuty` (authz/day-roles.ts). */
export async function loadActor(source: SessionSource, token: string, ip: string, today = todayInChina()): Promise<Actor | null> {
  const row = await sessionRow(source, hashToken(token), today);
  if (!row) return null;
  const roles: Role[] = row.active_district_id ? (row.is_district ? ['district'] : []) : ((row.school_roles ?? []) as Role[]);
  return {
    accountId: row.account_id,
    displayName: row.display_name,
    sessionHash: row.token_hash,
    csrfToken: row.csrf_token,
    schoolId: row.active_district_id ? null : row.active_school_id,
    districtId: row.active_district_id,
    roles,
    permissions: permissionsOf(roles),
    ip,
    namedForDuty: row.named_for_duty,
  };
}

/** The actor's school; routes behind a school permission always have one (a district context
 * holds no school permission). Should one slip through, the request is refused, not a 500. */
export function schoolOf(actor: Actor): string {
  if (!actor.schoolId) throw forbidden('请切换到学校身份');
  return actor.schoolId;
}

export const hasRole = (actor: Actor, ...roles: Role[]) => roles.some((r) => actor.roles.includes(r));
