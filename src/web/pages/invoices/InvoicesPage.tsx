/**
 * The guardian's fees on the phone: per child and term the bills with their lines, what is paid and
 * what is due, paying online through the provider's checkout, receipts, and the waiver application.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Card, ErrorBlock, List, NavBar, NoticeBar, Skeleton, Tag, Toast } from 'antd-mobile';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, get } from '../../api';
import { formatDate, useLocale, useT } from '../../i18n';
import { newKey, type Payment, yuan } from '../payments/money';
import { dict } from './dict';
import type { Bill, MoneyChild } from './types';
import { WaiverCard } from './WaiverCard';

function ChildTerms({ kids }: { kids: MoneyChild[] }) {
  const t = useT(dict);
  const navigate = useNavigate();
  if (kids.every((c) => c.terms.length === 0)) return <ErrorBlock status="empty" title={t('noTerms')} description="" />;
  return (
    <>
      {kids.map((c) => (
        <List key={c.id} header={`${c.name} · ${c.className}`} style={{ margin: '8px 0' }}>
          {c.terms.map((x) => (
            <List.Item
              key={x.termId}
              arrowIcon
              onClick={() => navigate(`/m/invoices/${c.id}?termId=${x.termId}`)}
              extra={
                x.dueFen > 0 ? (
                  <span style={{ color: '#e65100', fontWeight: 600 }}>{yuan(x.dueFen)}</span>
                ) : (
                  <Tag color="success">{t('settled')}</Tag>
                )
              }
            >
              {x.termName}
            </List.Item>
          ))}
        </List>
      ))}
    </>
  );
}

export default function InvoicesPage() {
  const t = useT(dict);
  const { locale } = useLocale();
  const navigate = useNavigate();
  const { studentId } = useParams();
  const [params] = useSearchParams();
  const justPaid = params.get('paid');
  const list = useQuery({ queryKey: ['family', 'money'], queryFn: () => get<{ children: MoneyChild[] }>('/family/money') });
  const child = list.data?.children.find((c) => c.id === studentId);
  const termId = params.get('termId') ?? child?.terms[0]?.termId;
  const bill = useQuery({
    queryKey: ['family', 'money', studentId, termId],
    queryFn: () => get<Bill>(`/family/money/${studentId}/terms/${termId}`),
    enabled: !!studentId && !!termId,
    // back from the provider's checkout: poll until its notification has settled the payment
    refetchInterval: (q) => {
      const p = q.state.data?.payments.find((x: Payment) => x.id === justPaid);
      return justPaid && p?.status === 'pending' ? 1500 : false;
    },
  });
  const pay = useMutation({
    mutationFn: () =>
      api<{ checkoutUrl: string }>(
        'POST',
        `/family/money/${studentId}/terms/${termId}/pay`,
        {},
        { headers: { 'idempotency-key': newKey() } },
      ),
    onSuccess: (r) => {
      Toast.show({ icon: 'loading', content: t('paying') });
      window.location.assign(r.checkoutUrl);
    },
    onError: (e: Error) => Toast.show({ icon: 'fail', content: e.message }),
  });

  const header = (
    <NavBar onBack={() => navigate(studentId ? '/m/invoices' : '/m/family')}>
      {studentId && child ? `${child.name} · ${t('title')}` : t('title')}
    </NavBar>
  );
  if (list.isLoading)
    return (
      header && (
        <>
          {header}
          <Skeleton.Paragraph lineCount={6} animated style={{ padding: 12 }} />
        </>
      )
    );
  if (list.error)
    return (
      <>
        {header}
        <ErrorBlock status="default" description={(list.error as Error).message} />
      </>
    );
  if (!studentId)
    return (
      <>
        {header}
        <ChildTerms kids={list.data?.children ?? []} />
      </>
    );
  if (!termId)
    return (
      <>
        {header}
        <ErrorBlock status="empty" title={t('noTerms')} description="" />
      </>
    );
  if (bill.isLoading)
    return (
      <>
        {header}
        <Skeleton.Paragraph lineCount={8} animated style={{ padding: 12 }} />
      </>
    );
  if (bill.error || !bill.data)
    return (
      <>
        {header}
        <ErrorBlock status="default" description={(bill.error as Error)?.message} />
      </>
    );
  const b = bill.data;
  const paidNow = justPaid ? b.payments.find((p) => p.id === justPaid) : undefined;
  return (
    <div style={{ paddingBottom: 24 }}>
      {header}
      {child && child.terms.length > 1 && (
        <div style={{ display: 'flex', gap: 8, overflowX: 'auto', padding: '8px 12px' }}>
          {child.terms.map((x) => (
            <Tag
              key={x.termId}
              color={x.termId === termId ? 'primary' : 'default'}
              fill={x.termId === termId ? 'solid' : 'outline'}
              onClick={() => navigate(`/m/invoices/${studentId}?termId=${x.termId}`, { replace: true })}
              style={{ padding: '4px 8px', whiteSpace: 'nowrap' }}
            >
              {x.termName}
            </Tag>
          ))}
        </div>
      )}
      {paidNow?.status === 'pending' && <NoticeBar content={t('justPaid')} color="info" />}
      <Card style={{ margin: 12, borderRadius: 12 }} title={b.term.name} extra={b.term.closed ? <Tag>{t('closed')}</Tag> : null}>
        <div style={{ display: 'flex', justifyContent: 'space-around', textAlign: 'center' }}>
          <div>
            <div style={{ color: '#888' }}>{t('due')}</div>
            <div data-testid="due" style={{ fontSize: 24, fontWeight: 600, color: b.dueFen > 0 ? '#e65100' : '#389e0d' }}>
              {yuan(Math.max(b.dueFen, 0))}
            </div>
          </div>
          <div>
            <div style={{ color: '#888' }}>{t('paid')}</div>
            <div style={{ fontSize: 24, fontWeight: 600 }}>{yuan(b.paidFen - b.refundedFen)}</div>
          </div>
        </div>
        {b.dueFen < 0 && <div style={{ marginTop: 8, color: '#389e0d' }}>{t('credit', { a: yuan(-b.dueFen) })}</div>}
        {b.dueFen > 0 && b.onlineEnabled && (
          <Button block color="primary" size="large" style={{ marginTop: 12 }} loading={pay.isPending} onClick={() => pay.mutate()}>
            {t('payOnline', { a: yuan(b.dueFen) })}
          </Button>
        )}
        {b.dueFen > 0 && (
          <div style={{ color: '#888', fontSize: 12, marginTop: 8 }}>{b.onlineEnabled ? t('payOffline') : t('onlineOff')}</div>
        )}
      </Card>
      <List header={t('invoices')} style={{ margin: '0 0 8px' }}>
        {b.invoices.length === 0 && <List.Item>{t('noInvoices')}</List.Item>}
        {b.invoices.map((inv) => (
          <List.Item
            key={inv.id}
            description={
              <div>
                {inv.lines.map((l) => (
                  <div key={`${inv.id}-${l.description}-${l.amountFen}`} style={{ display: 'flex', justifyContent: 'space-between' }}>
                    <span>
                      {l.description}
                      {l.quantity > 1 ? `（${t('lineQty', { q: l.quantity, u: yuan(l.unitFen) })}）` : ''}
                    </span>
                    <span>{yuan(l.amountFen)}</span>
                  </div>
                ))}
                {inv.dueDate && <div>{t('dueDate', { d: formatDate(inv.dueDate, locale) })}</div>}
              </div>
            }
            extra={<b>{yuan(inv.totalFen)}</b>}
          >
            {t('invoiceNo', { n: inv.number })}
          </List.Item>
        ))}
      </List>
      {b.payments.length > 0 && (
        <List header={t('payments')}>
          {b.payments.map((p) => (
            <List.Item
              key={p.id}
              description={`${p.methodLabel} · ${formatDate(p.settledAt ?? p.createdAt, locale)}${p.receiptNo ? ` · ${p.receiptNo}` : ''}`}
              extra={yuan(p.amountFen)}
              arrowIcon={p.status === 'succeeded'}
              onClick={() => (p.status === 'succeeded' ? navigate(`/m/receipts/${p.id}`) : undefined)}
            >
              {p.status === 'succeeded' ? t('receipt') : <Tag color="warning">{t('pendingPay')}</Tag>}
            </List.Item>
          ))}
        </List>
      )}
      <WaiverCard studentId={b.student.id} termId={b.term.id} waivers={b.waivers} closed={b.term.closed} />
    </div>
  );
}
