/** 补贴 (office): rates within the district's range; each person's month from the rota confirmed by check-ins; approve, pay, export, print. */
import { DownloadOutlined, PrinterOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, InputNumber, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { formatYuan, parseYuan } from '../../../shared/ledger';
import { ROLE_LABELS, type RateRanges, type Rates, SUBSIDY_ROLES, type StatementLine, type SubsidyRole } from '../../../shared/subsidies';
import { api, download, get, post, qs } from '../../api';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { useLocale, useT } from '../../i18n';
import { todayStr } from '../lunch/dict';
import { dict } from './dict';
import '../lunch/print.css';

interface Term {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
}
interface Row {
  id: string;
  staffName: string;
  kind: 'subsidy' | 'labour';
  lines: StatementLine[];
  confirmedMinutes: number;
  unconfirmedSessions: number;
  amountFen: number;
  status: 'pending' | 'approved' | 'paid';
}

function RateEditor({ role, rates, ranges }: { role: SubsidyRole; rates: Rates; ranges: RateRanges }) {
  const t = useT(dict);
  const { locale } = useLocale();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const cur = rates[role];
  const [value, setValue] = useState<number | null>(cur ? cur.rateFen / 100 : null);
  const [unit, setUnit] = useState<'hour' | 'session'>(cur?.unit ?? 'hour');
  const save = useMutation({
    mutationFn: () => api('PUT', '/subsidies/rates', { role, unit, rateFen: parseYuan(String(value)) }),
    onSuccess: () => {
      message.success(t('saved'));
      qc.invalidateQueries({ queryKey: ['subsidies'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const r = ranges[role];
  return (
    <Card size="small" title={ROLE_LABELS[role][locale === 'en' ? 'en' : 'zh']} style={{ width: 300 }}>
      <Space direction="vertical">
        <Space>
          <InputNumber aria-label={`${role} rate`} min={0.01} precision={2} value={value} onChange={setValue} style={{ width: 110 }} />
          {role === 'external' ? (
            <Select
              value={unit}
              onChange={setUnit}
              style={{ width: 100 }}
              options={[
                { value: 'hour', label: t('perHour') },
                { value: 'session', label: t('perSession') },
              ]}
            />
          ) : (
            <span>{t('perHour')}</span>
          )}
          <Button type="primary" size="small" disabled={value === null} loading={save.isPending} onClick={() => save.mutate()}>
            {t('save')}
          </Button>
        </Space>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('range', { min: formatYuan(r.minFen), max: formatYuan(r.maxFen) })}
        </Typography.Text>
      </Space>
    </Card>
  );
}

const lineText = (l: StatementLine, zh: boolean) =>
  `${ROLE_LABELS[l.role][zh ? 'zh' : 'en']} ${l.unit === 'hour' ? `${(l.minutes / 60).toFixed(2)}h` : `${l.sessions}×`} × ¥${formatYuan(l.rateFen)}`;

export default function SubsidiesPage() {
  const t = useT(dict);
  const { locale } = useLocale();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const terms = useQuery({ queryKey: ['terms'], queryFn: () => get<Term[]>('/terms') });
  const rates = useQuery({
    queryKey: ['subsidies', 'rates'],
    queryFn: () => get<{ rates: Rates; ranges: RateRanges }>('/subsidies/rates'),
  });
  const [termId, setTermId] = useState<string>();
  const [month, setMonth] = useState(todayStr().slice(0, 7));
  useEffect(() => {
    if (!termId && terms.data?.length) {
      const today = todayStr();
      setTermId((terms.data.find((x) => x.startsOn <= today && x.endsOn >= today) ?? terms.data[0]).id);
    }
  }, [terms.data, termId]);
  const list = useQuery({
    queryKey: ['subsidies', 'statements', termId, month],
    enabled: !!termId,
    queryFn: () => get<Row[]>(`/subsidies/statements${qs({ termId, month })}`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['subsidies', 'statements'] });
  const generate = useMutation({
    mutationFn: () => post<Row[]>('/subsidies/statements', { termId, month }),
    onSuccess: (r) => {
      message.success(t('generated', { n: r.length }));
      refresh();
    },
    onError: (e: Error) => message.error(e.message),
  });
  const act = useMutation({
    mutationFn: (a: { id: string; action: 'approve' | 'pay' }) => post(`/subsidies/statements/${a.id}/${a.action}`),
    onSuccess: refresh,
    onError: (e: Error) => message.error(e.message),
  });
  if (terms.isLoading || rates.isLoading) return <Loading />;
  if (terms.error || rates.error) return <ErrorState error={terms.error ?? rates.error} onRetry={() => rates.refetch()} />;
  const term = terms.data?.find((x) => x.id === termId);
  const monthOptions: string[] = [];
  if (term)
    for (let m = term.startsOn.slice(0, 7); m <= term.endsOn.slice(0, 7); ) {
      monthOptions.push(m);
      const [y, mm] = m.split('-').map(Number);
      m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
    }
  const total = list.data?.reduce((n, r) => n + r.amountFen, 0) ?? 0;
  const STATUS = { pending: 'orange', approved: 'blue', paid: 'green' } as const;
  return (
    <div style={{ padding: 24 }}>
      <Typography.Title level={3} className="no-print">
        {t('title')}
      </Typography.Title>
      <div className="no-print">
        <Typography.Title level={5}>{t('rates')}</Typography.Title>
        <Space wrap style={{ marginBottom: 24 }}>
          {rates.data &&
            SUBSIDY_ROLES.map((role) => <RateEditor key={role} role={role} rates={rates.data.rates} ranges={rates.data.ranges} />)}
        </Space>
        <Alert type="info" showIcon message={t('hint')} style={{ marginBottom: 16 }} />
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            style={{ width: 260 }}
            value={termId}
            onChange={setTermId}
            options={terms.data?.map((x) => ({ value: x.id, label: x.name }))}
          />
          <Select style={{ width: 120 }} value={month} onChange={setMonth} options={monthOptions.map((m) => ({ value: m, label: m }))} />
          <Button type="primary" icon={<ThunderboltOutlined />} loading={generate.isPending} onClick={() => generate.mutate()}>
            {t('generate')}
          </Button>
          <Button
            icon={<DownloadOutlined />}
            disabled={!list.data?.length}
            onClick={() =>
              download(`/subsidies/statements.xlsx${qs({ termId, month })}`, `subsidies-${month}.xlsx`).catch((e: Error) =>
                message.error(e.message),
              )
            }
          >
            {t('export')}
          </Button>
          <Button icon={<PrinterOutlined />} disabled={!list.data?.length} onClick={() => window.print()}>
            {t('print')}
          </Button>
        </Space>
      </div>
      <Typography.Title level={4} style={{ textAlign: 'center' }} className="print-only">
        {t('statementTitle', { month })}
      </Typography.Title>
      {list.isLoading ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : !list.data?.length ? (
        <EmptyState description={t('empty')} />
      ) : (
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={list.data}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={5}>
                <strong>{t('total')}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                <strong>{formatYuan(total)}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} colSpan={2} />
            </Table.Summary.Row>
          )}
          columns={[
            { title: t('name'), dataIndex: 'staffName', width: 110 },
            {
              title: t('kind'),
              dataIndex: 'kind',
              width: 100,
              render: (k: Row['kind']) => (k === 'labour' ? <Tag color="purple">{t('labour')}</Tag> : t('subsidy')),
            },
            { title: t('hours'), dataIndex: 'confirmedMinutes', width: 110, align: 'right', render: (m: number) => (m / 60).toFixed(2) },
            {
              title: t('unconfirmed'),
              dataIndex: 'unconfirmedSessions',
              width: 100,
              align: 'right',
              render: (n: number) => (n > 0 ? <Typography.Text type="warning">{n}</Typography.Text> : 0),
            },
            {
              title: t('lines'),
              dataIndex: 'lines',
              render: (ls: StatementLine[]) => ls.map((l) => lineText(l, locale !== 'en')).join('；'),
            },
            {
              title: t('amount'),
              dataIndex: 'amountFen',
              width: 110,
              align: 'right',
              render: (f: number) => <strong>{formatYuan(f)}</strong>,
            },
            { title: t('status'), dataIndex: 'status', width: 90, render: (s: Row['status']) => <Tag color={STATUS[s]}>{t(s)}</Tag> },
            {
              title: '',
              width: 110,
              className: 'no-print',
              render: (_: unknown, r: Row) =>
                r.status === 'paid' ? null : (
                  <Popconfirm
                    title={`${r.status === 'pending' ? t('approve') : t('pay')} ${r.staffName} ¥${formatYuan(r.amountFen)}?`}
                    onConfirm={() => act.mutate({ id: r.id, action: r.status === 'pending' ? 'approve' : 'pay' })}
                  >
                    <Button size="small" type={r.status === 'pending' ? 'primary' : 'default'} disabled={r.amountFen === 0}>
                      {r.status === 'pending' ? t('approve') : t('pay')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      )}
      <Typography.Paragraph className="print-only" style={{ marginTop: 32 }}>
        {t('signature')}
      </Typography.Paragraph>
    </div>
  );
}
