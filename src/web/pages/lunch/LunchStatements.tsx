/** 月度对账: preview a month's meals from the enrolment and the roll call, post it, pay the caterer, print the statement. */
import { PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Drawer, Popconfirm, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { formatYuan } from '../../../shared/ledger';
import { get, post, qs } from '../../api';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { useT } from '../../i18n';
import { dict, todayStr } from './dict';
import './print.css';

interface Term {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
}
interface Statement {
  id: string;
  termName: string;
  month: string;
  catererName: string;
  priceFen: number;
  meals: number;
  amountFen: number;
  pupils: number;
  paidAt: string | null;
}
interface Preview {
  month: string;
  catererName: string;
  priceFen: number;
  schoolDays: number;
  meals: number;
  amountFen: number;
  pupils: number;
}
interface Detail extends Statement {
  lines: { studentId: string; name: string; className: string; meals: number; amountFen: number; dueFen: number }[];
}

function monthsOf(t: Term): string[] {
  const out: string[] = [];
  let [y, m] = t.startsOn.slice(0, 7).split('-').map(Number);
  const end = t.endsOn.slice(0, 7);
  for (;;) {
    const s = `${y}-${String(m).padStart(2, '0')}`;
    out.push(s);
    if (s >= end) break;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export function LunchStatements() {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const terms = useQuery({ queryKey: ['terms'], queryFn: () => get<Term[]>('/terms') });
  const [termId, setTermId] = useState<string>();
  const [month, setMonth] = useState<string>();
  const [open, setOpen] = useState<string>();
  const term = terms.data?.find((x) => x.id === termId);
  const months = useMemo(() => (term ? monthsOf(term) : []), [term]);
  useEffect(() => {
    if (!termId && terms.data?.length) {
      const today = todayStr();
      setTermId((terms.data.find((x) => x.startsOn <= today && x.endsOn >= today) ?? terms.data[0]).id);
    }
  }, [terms.data, termId]);
  useEffect(() => {
    if (months.length && (!month || !months.includes(month))) {
      const cur = todayStr().slice(0, 7);
      setMonth(months.includes(cur) ? cur : months[0]);
    }
  }, [months, month]);
  const list = useQuery({
    queryKey: ['lunch', 'statements', termId],
    enabled: !!termId,
    queryFn: () => get<Statement[]>(`/lunch/statements${qs({ termId })}`),
  });
  const preview = useQuery({
    queryKey: ['lunch', 'preview', termId, month],
    enabled: !!termId && !!month,
    retry: false,
    queryFn: () => get<Preview>(`/lunch/preview${qs({ termId, month })}`),
  });
  const detail = useQuery({
    queryKey: ['lunch', 'statement', open],
    enabled: !!open,
    queryFn: () => get<Detail>(`/lunch/statements/${open}`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['lunch'] });
  const postIt = useMutation({
    mutationFn: () => post<Statement>('/lunch/statements', { termId, month }),
    onSuccess: () => {
      message.success(t('posted'));
      refresh();
    },
    onError: (e: Error) => message.error(e.message),
  });
  const [method, setMethod] = useState<'cash' | 'transfer' | 'campus_card'>('cash');
  const collect = useMutation({
    mutationFn: (studentId: string) => post(`/lunch/statements/${open}/payments`, { studentId, method }),
    onSuccess: refresh,
    onError: (e: Error) => message.error(e.message),
  });
  const pay = useMutation({
    mutationFn: (id: string) => post(`/lunch/statements/${id}/pay`),
    onSuccess: refresh,
    onError: (e: Error) => message.error(e.message),
  });
  if (terms.isLoading) return <Loading />;
  if (terms.error) return <ErrorState error={terms.error} onRetry={() => terms.refetch()} />;
  const done = list.data?.some((s) => s.month === month);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card className="no-print">
        <Space wrap size="large" align="start">
          <Space direction="vertical" size={4}>
            <Typography.Text type="secondary">{t('term')}</Typography.Text>
            <Select
              style={{ width: 260 }}
              value={termId}
              onChange={setTermId}
              options={terms.data?.map((x) => ({ value: x.id, label: x.name }))}
            />
          </Space>
          <Space direction="vertical" size={4}>
            <Typography.Text type="secondary">{t('month')}</Typography.Text>
            <Select style={{ width: 120 }} value={month} onChange={setMonth} options={months.map((m) => ({ value: m, label: m }))} />
          </Space>
          {preview.data && (
            <>
              <Statistic title={t('schoolDays')} value={preview.data.schoolDays} />
              <Statistic title={t('pupils')} value={preview.data.pupils} />
              <Statistic title={t('meals')} value={preview.data.meals} />
              <Statistic title={t('amount')} value={formatYuan(preview.data.amountFen)} prefix="¥" />
            </>
          )}
          {preview.error && <Typography.Text type="warning">{(preview.error as Error).message}</Typography.Text>}
          <Button
            type="primary"
            disabled={!preview.data || done || preview.data.meals === 0}
            loading={postIt.isPending}
            onClick={() => postIt.mutate()}
          >
            {done ? t('posted') : t('post')}
          </Button>
        </Space>
      </Card>
      {list.isLoading ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : !list.data?.length ? (
        <EmptyState description={t('noStatements')} />
      ) : (
        <Table
          rowKey="id"
          pagination={false}
          dataSource={list.data}
          columns={[
            { title: t('month'), dataIndex: 'month' },
            { title: t('caterer'), dataIndex: 'catererName' },
            { title: t('price'), dataIndex: 'priceFen', align: 'right', render: (f: number) => formatYuan(f) },
            { title: t('pupils'), dataIndex: 'pupils', align: 'right' },
            { title: t('meals'), dataIndex: 'meals', align: 'right' },
            { title: t('amount'), dataIndex: 'amountFen', align: 'right', render: (f: number) => <strong>{formatYuan(f)}</strong> },
            {
              title: t('paid'),
              dataIndex: 'paidAt',
              render: (p: string | null, s: Statement) =>
                p ? (
                  <Tag color="green">{t('paid')}</Tag>
                ) : (
                  <Popconfirm title={t('payConfirm', { amount: formatYuan(s.amountFen) })} onConfirm={() => pay.mutate(s.id)}>
                    <Button size="small">{t('pay')}</Button>
                  </Popconfirm>
                ),
            },
            {
              title: '',
              render: (_: unknown, s: Statement) => (
                <Button type="link" onClick={() => setOpen(s.id)}>
                  {t('detail')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <Drawer
        width={720}
        open={!!open}
        onClose={() => setOpen(undefined)}
        title={detail.data ? t('statementOf', { month: detail.data.month }) : ''}
        extra={
          <Button icon={<PrinterOutlined />} onClick={() => window.print()} className="no-print">
            {t('print')}
          </Button>
        }
        rootClassName="lunch-print"
      >
        {detail.isLoading ? (
          <Loading />
        ) : detail.data ? (
          <>
            <Typography.Paragraph>
              {detail.data.termName} · {detail.data.catererName} · ¥{formatYuan(detail.data.priceFen)} × {detail.data.meals} = ¥
              {formatYuan(detail.data.amountFen)}
            </Typography.Paragraph>
            <Table
              size="small"
              rowKey="studentId"
              pagination={false}
              dataSource={detail.data.lines}
              columns={[
                { title: t('className'), dataIndex: 'className' },
                { title: t('pupil'), dataIndex: 'name' },
                { title: t('meals'), dataIndex: 'meals', align: 'right' },
                { title: t('amount'), dataIndex: 'amountFen', align: 'right', render: (f: number) => formatYuan(f) },
                {
                  title: (
                    <Space className="no-print">
                      {t('payMethod')}
                      <Select
                        size="small"
                        value={method}
                        onChange={setMethod}
                        options={(['cash', 'transfer', 'campus_card'] as const).map((m) => ({ value: m, label: t(m) }))}
                        style={{ width: 100 }}
                      />
                    </Space>
                  ),
                  key: 'family',
                  render: (_: unknown, l: Detail['lines'][number]) =>
                    l.dueFen === 0 ? (
                      <Tag color="success">{t('familyPaid')}</Tag>
                    ) : (
                      <Space>
                        <Tag color="warning">{t('familyDue', { amount: formatYuan(l.dueFen) })}</Tag>
                        <Popconfirm
                          title={t('collectConfirm', { name: l.name, amount: formatYuan(l.dueFen) })}
                          onConfirm={() => collect.mutate(l.studentId)}
                        >
                          <Button size="small" className="no-print" loading={collect.isPending && collect.variables === l.studentId}>
                            {t('collect')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                },
              ]}
            />
          </>
        ) : null}
      </Drawer>
    </Space>
  );
}
