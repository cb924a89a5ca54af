/** Teachers' subsidies and labour fees (school office) and the district's funding of its schools. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fundingRoutes } from './funding.routes';
import { subsidyRoutes } from './routes';

export const subsidiesModule: FastifyPluginAsyncZod = async (app) => {
  for (const plugin of [subsidyRoutes, fundingRoutes]) await app.register(plugin);
};
