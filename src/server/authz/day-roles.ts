/**
 * Day roles: the rota makes a member of staff the day's duty leader — a duty day of the timetable, or
 * one taken over through an approved shift swap (R8; any teacher may take one with the office's
 * approval) — whether or not the account holds the standing `duty` role. For a request on that day
 * the actor holds `duty` as well: the gate (policy.ts) then lets the duty console's routes through
 * and every "duty leader or office" check in the modules (any group today, relay, the school's
 * pupils with guardians' phones) treats them as the leader. On any other day the actor is what its
 * school roles make it, so the duty routes answer 403 as before.
 *
 * Computed per request from the rota, never stored: the session lookup (auth/actor.ts) tells whether
 * the account is named for today's duty at all, and only then is `dutyLeadOf` asked; so a swap
 * approved or a timetable changed counts from the next request. Fail closed: no school context, no
 * staff role (care or homeroom teacher), or no staff record leading the day → no day role; an error
 * while asking fails the request.
 */
import { type Role, permissionsOf } from '../../shared/permissions';
import type { Actor } from '../auth/actor';
import type { Db } from '../db/client';
import { dutyLeadOf } from '../modules/rota/effective';

/** Roles whose holders work shifts and can be on the day's duty through the rota. */
const STAFF_ROLES: ReadonlySet<Role> = new Set(['teacher', 'homeroom']);

/** The actor for a request on `today`: with the `duty` role added when the rota makes it the day's duty leader. */
export async function withDayRoles(db: Db, actor: Actor, today: string): Promise<Actor> {
  if (!actor.schoolId || actor.roles.includes('duty') || actor.roles.includes('school_admin')) return actor;
  if (!actor.roles.some((r) => STAFF_ROLES.has(r))) return actor;
  // the session lookup already asked whether the account is named for today's duty: the usual "no"
  if (actor.namedForDuty === false) return actor;
  const lead = await dutyLeadOf(db, actor.schoolId, actor.accountId, today);
  if (!lead.length) return actor;
  const roles: Role[] = [...actor.roles, 'duty'];
  roles.sort();
  return { ...actor, roles, permissions: permissionsOf(roles), dutyToday: today };
}
