/**
 * The care log (issue 4): patrols, the activity record, incidents with the emergency flow and
 * their escalation (run by the outbox worker's tick, see modules/outbox/routes.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { incidentRoutes } from './incidents.routes';
import { logRoutes } from './log.routes';

export const carelogModule: FastifyPluginAsyncZod = async (app) => {
  for (const plugin of [logRoutes, incidentRoutes]) await app.register(plugin);
};
