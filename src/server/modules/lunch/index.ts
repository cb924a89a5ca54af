/** Lunch (issue 5): caterer contract, menu, monthly statements, parent committee, 陪餐 log. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { lunchFamilyRoutes } from './family.routes';
import { lunchOfficeRoutes } from './office.routes';
import { lunchStatementRoutes } from './statements.routes';

export const lunchModule: FastifyPluginAsyncZod = async (app) => {
  for (const plugin of [lunchOfficeRoutes, lunchStatementRoutes, lunchFamilyRoutes]) await app.register(plugin);
};
