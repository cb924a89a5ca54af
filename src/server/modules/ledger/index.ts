/** The ledger (issue 5): post balanced transactions in fen, read balances, close a term. */
export { type Balances, studentBalances, termBalances, termImbalance } from './balances';
export { closeTerm, isTermClosed } from './close-term';
export { assertTermOpen, checkLines, checkPostings, type LedgerLine, type PostOptions, postTransaction } from './post';
export { postTransactionsBulk } from './bulk';
