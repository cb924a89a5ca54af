/**
 * The term's accounts (收支公示, L3/N18 of the issue): income and spending of the service money by
 * category, read from the ledger, with the per-pupil cost; lunch money shown apart because it is
 * settled with the caterer and is not service income (R9). Every figure reconciles to the fen:
 * the report carries the term's ledger imbalance, which is 0 when the books are whole.
 */
import { sql } from 'drizzle-orm';
import { LEDGER_ACCOUNTS, type LedgerAccount } from '../../../shared/ledger';
import { type Db, queryRows } from '../../db/client';
import { together } from '../../db/together';
import { notFound } from '../../lib/errors';
import { isTermClosed, termBalances, termImbalance } from '../ledger';

export interface ReportLine {
  account: string;
  zh: string;
  en: string;
  amountFen: number;
}

export interface TermAccounts {
  school: { name: string; code: string };
  term: { id: string; name: string; startsOn: string; endsOn: string; closed: boolean };
  income: ReportLine[];
  reductions: ReportLine[];
  incomeTotalFen: number;
  spending: ReportLine[];
  spendingTotalFen: number;
  balanceFen: number;
  collectedFen: number;
  outstandingFen: number;
  pupils: number;
  perPupilCostFen: number;
  lunch: { billedFen: number; collectedFen: number; paidToCatererFen: number; owedToCatererFen: number };
  imbalanceFen: number;
  generatedAt: string;
}

const label = (account: string) => {
  const a = LEDGER_ACCOUNTS[account as LedgerAccount];
  return { zh: a?.zh ?? account, en: a?.en ?? account };
};

/** Per-pupil cost rounded half up to the fen; 0 with no pupils. */
export const perPupil = (spendingFen: number, pupils: number) => (pupils > 0 ? Math.floor((2 * spendingFen + pupils) / (2 * pupils)) : 0);

export async function buildTermAccounts(db: Db, schoolId: string, termId: string, now = new Date()): Promise<TermAccounts> {
  const [t] = await queryRows<{ name: string; starts_on: string; ends_on: string; school_name: string; code: string }>(
    db,
    sql`SELECT t.name, t.starts_on::text, t.ends_on::text, s.name AS school_name, s.code FROM terms t JOIN schools s ON s.id = t.school_id
         WHERE t.school_id = ${schoolId} AND t.id = ${termId}`,
  );
  if (!t) throw notFound('学期');
  const [balances, imbalance, closed, [pupils], lunchRows, [collected]] = await together(db, [
    () => termBalances(db, schoolId, termId),
    () => termImbalance(db, schoolId, termId),
    () => isTermClosed(db, schoolId, termId),
    () =>
      queryRows<{ n: number }>(
        db,
        sql`SELECT count(DISTINCT student_id)::int AS n FROM enrollments WHERE school_id = ${schoolId} AND term_id = ${termId} AND status = 'enrolled'`,
      ),
    () =>
      queryRows<{ account: string; debits: string; credits: string }>(
        db,
        sql`SELECT account, COALESCE(SUM(amount_fen) FILTER (WHERE amount_fen > 0), 0)::text AS debits,
                 COALESCE(-SUM(amount_fen) FILTER (WHERE amount_fen < 0), 0)::text AS credits
            FROM ledger_entries WHERE school_id = ${schoolId} AND term_id = ${termId} AND account IN ('receivable.lunch', 'payable.caterer')
           GROUP BY account`,
      ),
    // what families paid, less refunds: the receivable's payment and refund lines (not cash, which spending also moves)
    () =>
      queryRows<{ total: string }>(
        db,
        sql`SELECT COALESCE(-SUM(amount_fen), 0)::text AS total FROM ledger_entries
           WHERE school_id = ${schoolId} AND term_id = ${termId} AND account = 'receivable.guardian' AND kind IN ('payment', 'refund')`,
      ),
  ]);
  const entries = Object.entries(balances) as [string, number][];
  const line = (account: string, amountFen: number): ReportLine => ({ account, ...label(account), amountFen });
  // income accounts hold credits (negative): shown positive; contra accounts hold debits
  const income = entries.filter(([a, v]) => a.startsWith('income.') && v !== 0).map(([a, v]) => line(a, -v));
  const reductions = entries.filter(([a, v]) => a.startsWith('contra.') && v !== 0).map(([a, v]) => line(a, v));
  const spending = entries.filter(([a, v]) => a.startsWith('expense.') && v !== 0).map(([a, v]) => line(a, v));
  const sum = (l: ReportLine[]) => l.reduce((s, x) => s + x.amountFen, 0);
  const byAccount = (l: ReportLine[]) => l.sort((a, b) => (a.account < b.account ? -1 : 1));
  const incomeTotal = sum(income) - sum(reductions);
  const spendingTotal = sum(spending);
  const lunchOf = (a: string) => lunchRows.find((r) => r.account === a);
  const n = pupils?.n ?? 0;
  return {
    school: { name: t.school_name, code: t.code },
    term: { id: termId, name: t.name, startsOn: t.starts_on, endsOn: t.ends_on, closed },
    income: byAccount(income),
    reductions: byAccount(reductions),
    incomeTotalFen: incomeTotal,
    spending: byAccount(spending),
    spendingTotalFen: spendingTotal,
    balanceFen: incomeTotal - spendingTotal,
    collectedFen: Number(collected?.total ?? 0),
    outstandingFen: balances['receivable.guardian'] ?? 0,
    pupils: n,
    perPupilCostFen: perPupil(spendingTotal, n),
    lunch: {
      billedFen: Number(lunchOf('receivable.lunch')?.debits ?? 0),
      collectedFen: Number(lunchOf('receivable.lunch')?.credits ?? 0),
      paidToCatererFen: Number(lunchOf('payable.caterer')?.debits ?? 0),
      owedToCatererFen: -(balances['payable.caterer'] ?? 0),
    },
    imbalanceFen: imbalance,
    generatedAt: now.toISOString(),
  };
}
