/** Every module's routes, mounted under /api. One folder per feature. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accountsModule } from './accounts';
import { afternoonModule } from './afternoon';
import { auditRoutes } from './audit/routes';
import { carelogModule } from './carelog';
import { authRoutes } from './auth/routes';
import { billingModule } from './billing';
import { dailyModule } from './daily';
import { enrollmentRoutes } from './enrollment';
import { familyRoutes } from './family/routes';
import { healthRoutes } from './health/routes';
import { lunchModule } from './lunch';
import { subsidiesModule } from './subsidies';
import { plansModule } from './plans';
import { rotaModule } from './rota';
import { importRoutes } from './imports/routes';
import { contactRoutes } from './roster/contacts.routes';
import { orgRoutes } from './roster/org.routes';
import { outboxRoutes } from './outbox/routes';
import { paymentsModule } from './payments';
import { studentRoutes } from './roster/students.routes';
import { schoolRoutes } from './schools/routes';
import { surveyModule } from './survey';

export const registerModules: FastifyPluginAsyncZod = async (app) => {
  for (const plugin of [
    healthRoutes,
    authRoutes,
    schoolRoutes,
    orgRoutes,
    studentRoutes,
    contactRoutes,
    familyRoutes,
    auditRoutes,
    importRoutes,
    plansModule,
    surveyModule,
    enrollmentRoutes,
    dailyModule,
    billingModule,
    afternoonModule,
    carelogModule,
    outboxRoutes,
    rotaModule,
    paymentsModule,
    accountsModule,
    lunchModule,
    subsidiesModule,
  ]) {
    await app.register(plugin);
  }
};
