/** The office's payment desk (收费): payments of a term, recording, receipts, refunds; and reconciliation. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { accessOf } from '../../access';
import { post, get, qs } from '../../api';
import { useMe } from '../../auth';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { formatDate, useLocale, useT } from '../../i18n';
import { dict } from './dict';
import { type Payment, yuan } from './money';
import { ReconcileTab } from './ReconcileTab';
import { RecordPaymentModal } from './RecordPaymentModal';
import { RefundModal } from './RefundModal';

interface Term {
  id: string;
  name: string;
}

const STATUS_COLORS: Record<string, string> = { succeeded: 'green', pending: 'orange', failed: 'red', cancelled: 'default' };

export default function PaymentsPage() {
  const t = useT(dict);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const access = accessOf(useMe().data);
  const [termId, setTermId] = useState<string>();
  const [q, setQ] = useState('');
  const [method, setMethod] = useState<string>();
  const [page, setPage] = useState(1);
  const [recording, setRecording] = useState(false);
  const [refunding, setRefunding] = useState<Payment | null>(null);
  const terms = useQuery({ queryKey: ['terms'], queryFn: () => get<Term[]>('/terms') });
  const term = termId ?? terms.data?.[0]?.id;
  const list = useQuery({
    queryKey: ['payments', 'list', term, q, method, page],
    queryFn: () => get<{ total: number; items: Payment[] }>(`/payments${qs({ termId: term, q, method, page, pageSize: 20 })}`),
    enabled: !!term,
  });
  const sync = useMutation({
    mutationFn: (id: string) => post<{ providerStatus: string | null }>(`/payments/${id}/sync`),
    onSuccess: (r) => {
      message.info(t('synced', { s: r.providerStatus ?? '-' }));
      qc.invalidateQueries({ queryKey: ['payments'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  if (terms.isLoading) return <Loading />;
  if (terms.error) return <ErrorState error={terms.error} onRetry={() => terms.refetch()} />;
  if (!terms.data?.length || !term) return <EmptyState description={t('noTerm')} />;

  const paymentsTab = (
    <Card>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('term')}
          value={term}
          onChange={(v) => {
            setTermId(v);
            setPage(1);
          }}
          style={{ width: 260 }}
          options={terms.data.map((x) => ({ value: x.id, label: x.name }))}
        />
        <Input.Search
          aria-label={t('search')}
          placeholder={t('search')}
          allowClear
          onSearch={(v) => {
            setQ(v);
            setPage(1);
          }}
          style={{ width: 240 }}
        />
        <Select
          aria-label={t('method')}
          allowClear
          placeholder={t('method')}
          value={method}
          onChange={setMethod}
          style={{ width: 140 }}
          options={['cash', 'transfer', 'campus_card', 'online'].map((m) => ({ value: m, label: t(m) }))}
        />
        {access.has('payment.write') && (
          <Button type="primary" onClick={() => setRecording(true)}>
            {t('record')}
          </Button>
        )}
      </Space>
      {list.error && <ErrorState error={list.error} onRetry={() => list.refetch()} />}
      <Table
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items}
        locale={{ emptyText: <EmptyState description={t('empty')} /> }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('receiptNo'), dataIndex: 'receiptNo', render: (v: string | null) => v ?? '—' },
          { title: t('student'), dataIndex: 'studentName' },
          { title: t('klass'), dataIndex: 'className' },
          { title: t('method'), dataIndex: 'method', render: (m: string) => t(m) },
          { title: t('amount'), dataIndex: 'amountFen', align: 'right', render: (v: number) => yuan(v) },
          { title: t('status'), dataIndex: 'status', render: (s: string) => <Tag color={STATUS_COLORS[s]}>{t(s)}</Tag> },
          { title: t('time'), dataIndex: 'createdAt', render: (v: string) => formatDate(v, locale) },
          {
            title: t('actions'),
            key: 'actions',
            render: (_: unknown, p: Payment) => (
              <Space size="small">
                {p.status === 'succeeded' && (
                  <Button size="small" type="link" onClick={() => navigate(`/office/payments/${p.id}/receipt`)}>
                    {t('receipt')}
                  </Button>
                )}
                {p.status === 'succeeded' && access.has('payment.refund') && (
                  <Button size="small" type="link" danger onClick={() => setRefunding(p)}>
                    {t('refund')}
                  </Button>
                )}
                {p.status === 'pending' && p.method === 'online' && (
                  <Button size="small" type="link" onClick={() => sync.mutate(p.id)}>
                    {t('sync')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <RecordPaymentModal open={recording} termId={term} onClose={() => setRecording(false)} />
      <RefundModal payment={refunding} onClose={() => setRefunding(null)} />
    </Card>
  );
  return (
    <div>
      <Typography.Title level={4}>{t('title')}</Typography.Title>
      <Tabs
        items={[
          { key: 'payments', label: t('tabPayments'), children: paymentsTab },
          { key: 'reconcile', label: t('tabReconcile'), children: <ReconcileTab /> },
        ]}
      />
    </div>
  );
}
