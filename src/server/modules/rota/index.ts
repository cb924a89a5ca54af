/**
 * The term rota and shift swaps (issue 4, R8): the rota of every school day, its print and .xlsx,
 * swaps between staff approved by the office, and who effectively works a shift on a date
 * (effective.ts, used by the afternoon in modules/daily).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { rotaRoutes } from './rota.routes';
import { swapRoutes } from './swaps.routes';

export const rotaModule: FastifyPluginAsyncZod = async (app) => {
  for (const plugin of [rotaRoutes, swapRoutes]) await app.register(plugin);
};
