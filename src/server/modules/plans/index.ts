/** Terms, venues, the service plan and its filing and publication (issue 3, the plan part). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { lifecycleRoutes } from './lifecycle.routes';
import { offeringRoutes } from './offerings.routes';
import { planRoutes } from './plan.routes';
import { publicPlanRoutes } from './public.routes';
import { reviewRoutes } from './review.routes';
import { termRoutes } from './terms.routes';
import { venueRoutes } from './venues.routes';

export const plansModule: FastifyPluginAsyncZod = async (app) => {
  for (const plugin of [termRoutes, venueRoutes, planRoutes, offeringRoutes, lifecycleRoutes, reviewRoutes, publicPlanRoutes]) {
    await app.register(plugin);
  }
};
