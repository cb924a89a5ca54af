/** A printable receipt (收据), A4 or half A4, amounts in figures and in Chinese capitals (大写). */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api';
import { type Dict, formatDate, useLocale, useT } from '../../i18n';
import { type ReceiptData, yuan } from './money';
import './receipt.css';

const dict: Dict = {
  zh: {
    title: '收据',
    no: '收据号',
    date: '日期',
    payer: '交款学生',
    klass: '班级',
    studentNo: '学号',
    term: '学期',
    item: '项目',
    method: '方式',
    ref: '凭证号',
    amount: '金额（小写）',
    capital: '金额（大写）',
    cashier: '收款人',
    seal: '收款单位（盖章）',
    refunded: '已退款 {a}',
    print: '打印',
    a4: 'A4',
    half: '半张 A4',
    loading: '正在加载收据…',
  },
  en: {
    title: 'Receipt',
    no: 'Receipt no.',
    date: 'Date',
    payer: 'Pupil',
    klass: 'Class',
    studentNo: 'Pupil no.',
    term: 'Term',
    item: 'Item',
    method: 'Method',
    ref: 'Reference',
    amount: 'Amount',
    capital: 'Amount in words (Chinese capitals)',
    cashier: 'Received by',
    seal: 'School (seal)',
    refunded: 'Refunded {a}',
    print: 'Print',
    a4: 'A4',
    half: 'Half A4',
    loading: 'Loading the receipt…',
  },
};

export function ReceiptView({ url, back }: { url: string; back?: () => void }) {
  const t = useT(dict);
  const { locale } = useLocale();
  const [size, setSize] = useState<'a4' | 'half'>('half');
  const q = useQuery({ queryKey: ['receipt', url], queryFn: () => get<ReceiptData>(url) });
  if (q.isLoading) return <p style={{ padding: 24 }}>{t('loading')}</p>;
  if (q.error) return <p style={{ padding: 24, color: '#c00' }}>{(q.error as Error).message}</p>;
  const r = q.data as ReceiptData;
  return (
    <div>
      <div className="receipt-toolbar">
        {back && (
          <button type="button" onClick={back}>
            ←
          </button>
        )}
        <label>
          <input type="radio" checked={size === 'half'} onChange={() => setSize('half')} /> {t('half')}
        </label>
        <label>
          <input type="radio" checked={size === 'a4'} onChange={() => setSize('a4')} /> {t('a4')}
        </label>
        <button type="button" onClick={() => window.print()}>
          {t('print')}
        </button>
      </div>
      <div className={`receipt-sheet ${size}`} data-testid="receipt">
        <h1>{t('title')}</h1>
        <div className="sub">{r.school.name}</div>
        <div className="meta">
          <span>
            {t('no')}：<b>{r.receiptNo}</b>
          </span>
          <span>
            {t('date')}：{formatDate(r.paidAt, locale)}
          </span>
        </div>
        <table>
          <tbody>
            <tr>
              <th>{t('payer')}</th>
              <td>{r.student.name}</td>
              <th>{t('klass')}</th>
              <td>{r.student.className}</td>
            </tr>
            <tr>
              <th>{t('studentNo')}</th>
              <td>{r.student.studentNo}</td>
              <th>{t('term')}</th>
              <td>{r.termName}</td>
            </tr>
            <tr>
              <th>{t('item')}</th>
              <td>{r.item}</td>
              <th>{t('method')}</th>
              <td>
                {r.methodLabel}
                {r.externalRef ? `（${t('ref')} ${r.externalRef}）` : ''}
              </td>
            </tr>
            <tr>
              <th>{t('capital')}</th>
              <td colSpan={3} className="capital">
                人民币 {r.amountCapital}
              </td>
            </tr>
            <tr>
              <th>{t('amount')}</th>
              <td colSpan={3}>
                {yuan(r.amountFen)}
                {r.refundedFen > 0 && <span style={{ marginLeft: 16 }}>{t('refunded', { a: yuan(r.refundedFen) })}</span>}
              </td>
            </tr>
          </tbody>
        </table>
        <div className="foot">
          <span>
            {t('seal')}：{r.school.name}
          </span>
          <span>
            {t('cashier')}：{r.recordedByName}
          </span>
        </div>
      </div>
    </div>
  );
}
