/**
 * Payments (issue 5): the office's payment desk and reconciliation, the provider's signed
 * notifications, and the guardian's money pages. The provider simulator lives in ./simulator.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { familyMoneyRoutes } from './family.routes';
import { notifyRoutes } from './notify.routes';
import { reconcileRoutes } from './reconcile.routes';
import { paymentRoutes } from './routes';

export const paymentsModule: FastifyPluginAsyncZod = async (app) => {
  for (const plugin of [paymentRoutes, reconcileRoutes, notifyRoutes, familyMoneyRoutes]) await app.register(plugin);
};
