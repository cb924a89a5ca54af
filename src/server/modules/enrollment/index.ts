/**
 * Applications, agreements, allocation and enrolment (issue 3). One plugin mounts every route of
 * the module and runs the offer-expiry sweep in-process (every minute; any number of processes may
 * run it, rows are claimed with SKIP LOCKED).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { applyRoutes } from './apply.routes';
import { exportRoutes } from './export.routes';
import { notificationRoutes } from './notifications.routes';
import { officeRoutes } from './office.routes';
import { reviewRoutes } from './review.routes';
import { seatRoutes } from './seats.routes';
import { expireOffers } from './waitlist';

export const EXPIRE_EVERY_MS = 60_000;

export const enrollmentRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const plugin of [applyRoutes, seatRoutes, reviewRoutes, officeRoutes, exportRoutes, notificationRoutes]) await app.register(plugin);
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      expireOffers(app.deps.database.db).catch((err) => app.log.error({ err }, 'expireOffers failed'));
    }, EXPIRE_EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
};
