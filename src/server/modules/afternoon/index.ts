/**
 * The family side of the afternoon (issue 4): leave with a cut-off and approval, the substitute
 * adult for a day, the pick-up code and confirmation, the homeroom hand-over and the headcount.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { familyAfternoonRoutes } from './family.routes';
import { handoverRoutes } from './handover.routes';
import { leaveRoutes } from './leave.routes';
import { releaseRoutes } from './release.routes';

export const afternoonModule: FastifyPluginAsyncZod = async (app) => {
  for (const plugin of [leaveRoutes, familyAfternoonRoutes, releaseRoutes, handoverRoutes]) await app.register(plugin);
};
