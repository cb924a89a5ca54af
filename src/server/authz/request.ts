import type { FastifyRequest } from 'fastify';
import { type Actor, schoolOf } from '../auth/actor';
import { unauthenticated } from '../lib/errors';

/** The actor of a request that passed a non-public policy. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthenticated();
  return req.actor;
}

/** The actor and its school, for routes that act inside one school. */
export function schoolActor(req: FastifyRequest): { actor: Actor; schoolId: string } {
  const actor = actorOf(req);
  return { actor, schoolId: schoolOf(actor) };
}
