/**
 * The request's actor: the account, the context it acts in (one school, or one district) and its
 * roles there. Loaded from the session cookie with one query per request; sessions live in the
 * database so any number of processes can serve the same users.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Permission, type Role, permissionsOf } from '../../shared/permissions';
import { type Db, queryRows } from '../db/client';
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
}

export async function loadActor(db: Db, token: string, ip: string): Promise<Actor | null> {
  const tokenHash = hashToken(token);
  const [row] = await queryRows<SessionRow>(
    db,
    sql`
    SELECT s.token_hash, s.csrf_token, s.active_school_id, s.active_district_id,
           a.id AS account_id, a.display_name,
           (SELECT array_agg(r.role ORDER BY r.role) FROM school_roles r
             WHERE r.school_id = s.active_school_id AND r.account_id = a.id) AS school_roles,
           EXISTS (SELECT 1 FROM district_roles d
             WHERE d.district_id = s.active_district_id AND d.account_id = a.id) AS is_district
      FROM sessions s JOIN accounts a ON a.id = s.account_id
     WHERE s.token_hash = ${tokenHash} AND s.expires_at > now()`,
  );
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
  };
}

/** The actor's school; routes behind a school permission always have one (a district context
 * holds no school permission). Should one slip through, the request is refused, not a 500. */
export function schoolOf(actor: Actor): string {
  if (!actor.schoolId) throw forbidden('请切换到学校身份');
  return actor.schoolId;
}

export const hasRole = (actor: Actor, ...roles: Role[]) => roles.some((r) => actor.roles.includes(r));
