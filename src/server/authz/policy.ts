/**
 * Route-level authorization. Every route under /api declares a policy in its config:
 *   { public: true }            anyone (health, login, published pages)
 *   { authenticated: true }     any logged-in account (me, switching context)
 *   { permission: 'student.read' }  the actor's roles in its active context must grant it
 * A route without a policy is refused at run time (fail closed) and fails the route-policy test.
 * Relationship checks (this guardian's children, this homeroom's class) live in module scopes.
 *
 * The gate judges the actor's roles, and those are the school roles plus one derived from the rota:
 * before the gate, the day's duty leader (timetable duty or a duty day taken through an approved
 * swap) holds `duty` for that day's requests (day-roles.ts). So a duty route keeps its single
 * permission; who may pass it on a given day is the role's holders and that day's duty leaders.
 */
import type { Permission } from '../../shared/permissions';
import type { Actor } from '../auth/actor';
import { AppError, forbidden, unauthenticated } from '../lib/errors';

export type RoutePolicy = { public: true } | { authenticated: true } | { permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export const allowPublic = { public: true } as const satisfies RoutePolicy;
export const allowAuthenticated = { authenticated: true } as const satisfies RoutePolicy;
export const allow = (permission: Permission) => ({ permission }) satisfies RoutePolicy;

/** Throws the error the request deserves, or returns when the policy lets it through. */
export function checkPolicy(policy: RoutePolicy | undefined, actor: Actor | null): void {
  if (!policy) throw new AppError(403, 'NO_POLICY', '此接口未声明访问策略');
  if ('public' in policy) return;
  if (!actor) throw unauthenticated();
  if ('authenticated' in policy) return;
  if (!actor.permissions.has(policy.permission)) throw forbidden();
}

export function describePolicy(policy: RoutePolicy | undefined): string {
  if (!policy) return 'none';
  if ('public' in policy) return 'public';
  if ('authenticated' in policy) return 'authenticated';
  return policy.permission;
}
