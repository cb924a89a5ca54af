/** The term's accounts as a printable A4 sheet (收支公示): income, reductions, spending, per-pupil cost, lunch apart. */
import { type Dict, formatDate, useLocale, useT } from '../../i18n';
import { yuan } from '../payments/money';
import type { ReportLine, TermAccounts } from './types';
import './accounts.css';

const dict: Dict = {
  zh: {
    heading: '{term}课后服务收支公示',
    period: '{from} 至 {to}',
    income: '收入',
    reductions: '减：减免与退费',
    incomeTotal: '净收入合计',
    spending: '支出',
    spendingTotal: '支出合计',
    balance: '结余',
    item: '项目',
    amount: '金额',
    pupils: '参加课后服务学生数',
    perPupil: '生均支出',
    collected: '已收款',
    outstanding: '尚未缴纳',
    lunch: '午餐费（由家长另行缴纳给供餐单位，不计入课后服务收支）',
    lunchBilled: '应收午餐费',
    lunchCollected: '已收午餐费',
    lunchPaid: '已付供餐单位',
    lunchOwed: '应付供餐单位余额',
    none: '无',
    reconciled: '本表数字全部来自学校账簿，借贷平衡、精确到分。',
    version: '第 {v} 版 · 公示于 {d}',
    complaints: '如有疑问，请联系学校办公室。',
  },
  en: {
    heading: 'After-school service accounts, {term}',
    period: '{from} to {to}',
    income: 'Income',
    reductions: 'Less: waivers and credits',
    incomeTotal: 'Net income',
    spending: 'Spending',
    spendingTotal: 'Total spending',
    balance: 'Balance',
    item: 'Item',
    amount: 'Amount',
    pupils: 'Pupils enrolled',
    perPupil: 'Spending per pupil',
    collected: 'Collected',
    outstanding: 'Still unpaid',
    lunch: 'Lunch (paid by families to the caterer, kept apart from the service accounts)',
    lunchBilled: 'Lunch billed',
    lunchCollected: 'Lunch collected',
    lunchPaid: 'Paid to the caterer',
    lunchOwed: 'Owed to the caterer',
    none: 'None',
    reconciled: 'Every figure comes from the school’s ledger, balanced to the fen.',
    version: 'Version {v} · published {d}',
    complaints: 'Questions: please contact the school office.',
  },
};

function Lines({ lines, label }: { lines: ReportLine[]; label: (l: ReportLine) => string }) {
  const t = useT(dict);
  if (lines.length === 0)
    return (
      <tr>
        <td colSpan={2}>{t('none')}</td>
      </tr>
    );
  return (
    <>
      {lines.map((l) => (
        <tr key={l.account}>
          <td>{label(l)}</td>
          <td className="num">{yuan(l.amountFen)}</td>
        </tr>
      ))}
    </>
  );
}

export function AccountsReport({ report, version, publishedAt }: { report: TermAccounts; version?: number; publishedAt?: string }) {
  const t = useT(dict);
  const { locale } = useLocale();
  const label = (l: ReportLine) => (locale === 'en' ? l.en : l.zh);
  const r = report;
  return (
    <div className="accounts-sheet" data-testid="accounts-report">
      <h1>{r.school.name}</h1>
      <div className="sub">
        {t('heading', { term: r.term.name })}
        <br />
        {t('period', { from: formatDate(r.term.startsOn, locale), to: formatDate(r.term.endsOn, locale) })}
        {version ? (
          <>
            <br />
            {t('version', { v: version, d: publishedAt ? formatDate(publishedAt, locale) : '' })}
          </>
        ) : null}
      </div>
      <div className="cols">
        <table>
          <thead>
            <tr>
              <th>{t('income')}</th>
              <th>{t('amount')}</th>
            </tr>
          </thead>
          <tbody>
            <Lines lines={r.income} label={label} />
            {r.reductions.length > 0 && (
              <tr>
                <th colSpan={2}>{t('reductions')}</th>
              </tr>
            )}
            {r.reductions.length > 0 && <Lines lines={r.reductions.map((l) => ({ ...l, amountFen: -l.amountFen }))} label={label} />}
            <tr className="total">
              <td>{t('incomeTotal')}</td>
              <td className="num">{yuan(r.incomeTotalFen)}</td>
            </tr>
          </tbody>
        </table>
        <table>
          <thead>
            <tr>
              <th>{t('spending')}</th>
              <th>{t('amount')}</th>
            </tr>
          </thead>
          <tbody>
            <Lines lines={r.spending} label={label} />
            <tr className="total">
              <td>{t('spendingTotal')}</td>
              <td className="num">{yuan(r.spendingTotalFen)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <table>
        <tbody>
          <tr className="total">
            <td>{t('balance')}</td>
            <td className="num" data-testid="balance">
              {yuan(r.balanceFen)}
            </td>
            <td>{t('pupils')}</td>
            <td className="num">{r.pupils}</td>
          </tr>
          <tr>
            <td>{t('collected')}</td>
            <td className="num">{yuan(r.collectedFen)}</td>
            <td>{t('perPupil')}</td>
            <td className="num" data-testid="per-pupil">
              {yuan(r.perPupilCostFen)}
            </td>
          </tr>
          <tr>
            <td>{t('outstanding')}</td>
            <td className="num">{yuan(Math.max(r.outstandingFen, 0))}</td>
            <td colSpan={2} />
          </tr>
        </tbody>
      </table>
      <table>
        <thead>
          <tr>
            <th colSpan={4}>{t('lunch')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{t('lunchBilled')}</td>
            <td className="num">{yuan(r.lunch.billedFen)}</td>
            <td>{t('lunchCollected')}</td>
            <td className="num">{yuan(r.lunch.collectedFen)}</td>
          </tr>
          <tr>
            <td>{t('lunchPaid')}</td>
            <td className="num">{yuan(r.lunch.paidToCatererFen)}</td>
            <td>{t('lunchOwed')}</td>
            <td className="num">{yuan(r.lunch.owedToCatererFen)}</td>
          </tr>
        </tbody>
      </table>
      <p className="note">
        {t('reconciled')} {t('complaints')}
      </p>
    </div>
  );
}
