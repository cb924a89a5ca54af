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
