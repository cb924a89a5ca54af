/** Billing (issue 5): fee standards from the published plan, invoices, credits, waivers, term close. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { billingRoutes } from './billing.routes';
import { closeRoutes } from './close.routes';
import { providerRoutes } from './providers.routes';
import { waiverRoutes } from './waivers.routes';

export { type FeeStandard, feeStandards, loadTermContext } from './context';
export { reconciliation } from './close.routes';
export { lockBilling, settleStudents } from './settle';
export {
  type InvoiceLineView,
  type InvoiceSummary,
  type InvoiceView,
  invoiceSummaryForStudent,
  type StudentTotals,
  studentTotals,
} from './summary';

export const billingModule: FastifyPluginAsyncZod = async (app) => {
  for (const plugin of [billingRoutes, waiverRoutes, closeRoutes, providerRoutes]) await app.register(plugin);
};
