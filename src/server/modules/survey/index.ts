/** The needs survey (调查摸底): the school's routes and the guardian's. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { surveyFamilyRoutes } from './family.routes';
import { surveyRoutes } from './routes';

export const surveyModule: FastifyPluginAsyncZod = async (app) => {
  await app.register(surveyRoutes);
  await app.register(surveyFamilyRoutes);
};
