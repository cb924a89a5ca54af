/** Billing (issue 5): fee standards from the published plan, invoices, credits, waivers, term close. */
export {
  type InvoiceLineView,
  type InvoiceSummary,
  type InvoiceView,
  invoiceSummaryForStudent,
  type StudentTotals,
  studentTotals,
} from './summary';
