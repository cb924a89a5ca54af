/** The term's public accounts (收支公示): office preview, other spending, publication; the public read. */
export { accountsRoutes as accountsModule } from './routes';
export { buildTermAccounts, type TermAccounts } from './report';
