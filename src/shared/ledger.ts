/**
 * The ledger's chart of accounts and money helpers (issue 5). Every amount is an integer number of
 * fen (分); a debit is positive, a credit negative; every transaction's lines sum to zero.
 *
 * Service money (fees, subsidies, what they pay for) and lunch money (paid to the caterer, N15/P*)
 * are kept in separate accounts so the term's public accounts can show them apart.
 */
export type AccountNature = 'asset' | 'liability' | 'income' | 'contra_income' | 'expense';

interface AccountInfo {
  nature: AccountNature;
  zh: string;
  en: string;
}

export const LEDGER_ACCOUNTS = {
  // what guardians owe (per pupil: ledger lines carry the student id)
  'receivable.guardian': { nature: 'asset', zh: '应收家长费用', en: 'Receivable from guardians' },
  'receivable.district': { nature: 'asset', zh: '应收区财政补助', en: 'Receivable from district' },
  // money held
  'cash.offline': { nature: 'asset', zh: '线下收款（现金/转账/校园卡）', en: 'Offline receipts' },
  'cash.online': { nature: 'asset', zh: '线上支付清算', en: 'Online payment clearing' },
  // service income
  'income.service_fee': { nature: 'income', zh: '托管服务费', en: 'Care fees' },
  'income.club_fee': { nature: 'income', zh: '社团活动费', en: 'Club fees' },
  'income.district_subsidy': { nature: 'income', zh: '财政补助', en: 'District subsidy' },
  // reductions of income
  'contra.waiver': { nature: 'contra_income', zh: '减免', en: 'Waivers' },
  'contra.credit': { nature: 'contra_income', zh: '请假/停课退费', en: 'Leave and no-service credits' },
  // money held for others
  'payable.provider': { nature: 'liability', zh: '代收第三方机构费用', en: 'Collected for providers' },
  'payable.staff': { nature: 'liability', zh: '应付教师补贴/劳务费', en: 'Payable to staff' },
  'payable.refund': { nature: 'liability', zh: '应退家长款', en: 'Refunds due to guardians' },
  // spending of service money
  'expense.teacher_subsidy': { nature: 'expense', zh: '教师课后服务补贴', en: 'Teacher subsidies' },
  'expense.labour_fee': { nature: 'expense', zh: '校外人员劳务费', en: 'Labour fees' },
  'expense.materials': { nature: 'expense', zh: '耗材与活动材料', en: 'Materials' },
  'expense.other': { nature: 'expense', zh: '其他支出', en: 'Other spending' },
  // lunch, settled separately with the caterer
  'receivable.lunch': { nature: 'asset', zh: '应收午餐费', en: 'Lunch receivable' },
  'payable.caterer': { nature: 'liability', zh: '应付供餐单位', en: 'Payable to caterer' },
} as const satisfies Record<string, AccountInfo>;

export type LedgerAccount = keyof typeof LEDGER_ACCOUNTS;
export const LEDGER_ACCOUNT_CODES = Object.keys(LEDGER_ACCOUNTS) as LedgerAccount[];

export const isLedgerAccount = (s: string): s is LedgerAccount => Object.hasOwn(LEDGER_ACCOUNTS, s);

/** A whole, safe number of fen (no fractions of a fen, no floats past 2^53). */
export const isFen = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);

/** 12345 → "123.45" (for display; never parse money from floats). */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "123.45" | "123.4" | "123" → 12345 fen; null for anything with more than two decimals or not a number. */
export function parseYuan(text: string): number | null {
  const m = /^(-)?(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}
