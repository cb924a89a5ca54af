/**
 * 报名与录取 (office desktop): per offering and weekday the seats taken of the capacity, offers and
 * the waitlist; the lottery (seed recorded, draw order shown), ranked-choice allocation, the list of
 * places with withdrawals (the seat passes to the waitlist), lottery records and the .xlsx export.
 */
import { DownloadOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Input, Modal, Popconfirm, Progress, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import {
  ALLOCATION_LABELS,
  ENROLLMENT_STATUS_LABELS,
  ENROLLMENT_STATUSES,
  PRIORITY_LABELS,
  type PriorityCategory,
  SLOT_LABELS,
  type Slot,
  WEEKDAY_LABELS,
} from '../../../shared/plans';
import { accessOf } from '../../access';
import { ApiError, download, get, post, qs } from '../../api';
import { useMe } from '../../auth';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { formatDateTime, useT } from '../../i18n';
import { dict } from './dict';
import { LotteryResult, type Run } from './LotteryResult';

interface Term {
  id: string;
  name: string;
  window: string;
}
interface Day {
  weekday: number;
  capacity: number;
  taken: number;
  enrolled: number;
  offered: number;
  waitlisted: number;
  applicants: number;
}
interface OfferingRow {
  id: string;
  name: string;
  kind: string;
  slot: string;
  allocation: keyof typeof ALLOCATION_LABELS;
  capacity: number;
  gradeMin: number;
  gradeMax: number;
  lotteryRuns: number;
  weekdays: Day[];
}
interface PlaceRow {
  id: string;
  student_name: string;
  student_no: string;
  class_name: string;
  offering_name: string;
  slot: string;
  weekday: number;
  status: keyof typeof ENROLLMENT_STATUS_LABELS;
  source: string;
  position: number | null;
  priority_category: string | null;
  offer_expires_at: string | null;
  effective_from: string | null;
}

export default function EnrollmentPage() {
  const t = useT(dict);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const canWrite = accessOf(useMe().data).has('enrollment.write');
  const [termId, setTermId] = useState<string>();
  const [lottery, setLottery] = useState<OfferingRow | null>(null);
  const [seed, setSeed] = useState('');
  const [shown, setShown] = useState<Run | null>(null);
  const [filter, setFilter] = useState<{ offeringId?: string; weekday?: number; status?: string }>({});
  const terms = useQuery({ queryKey: ['enrollment', 'terms'], queryFn: () => get<Term[]>('/enrollment/terms') });
  const term = termId ?? terms.data?.[0]?.id;
  const overview = useQuery({
    queryKey: ['enrollment', 'overview', term],
    queryFn: () => get<{ offerings: OfferingRow[] }>(`/enrollment/overview?termId=${term}`),
    enabled: !!term,
  });
  const places = useQuery({
    queryKey: ['enrollment', 'list', term, filter],
    queryFn: () => get<PlaceRow[]>(`/enrollment/list${qs({ termId: term, ...filter })}`),
    enabled: !!term,
    placeholderData: keepPreviousData,
  });
  const runs = useQuery({ queryKey: ['enrollment', 'runs'], queryFn: () => get<Run[]>('/enrollment/lottery-runs') });
  const refresh = () => qc.invalidateQueries({ queryKey: ['enrollment'] });
  const fail = (e: unknown) => message.error(e instanceof ApiError ? e.message : String(e));
  const draw = useMutation({
    mutationFn: () => post<Run>('/enrollment/lottery', { offeringId: lottery?.id, seed: seed.trim() || undefined }),
    onSuccess: (run) => {
      message.success(t('lotteryDone'));
      setLottery(null);
      setSeed('');
      setShown(run);
      refresh();
    },
    onError: fail,
  });
  const ranked = useMutation({
    mutationFn: () => post<{ entrants: number; seed: string }>('/enrollment/ranked', { termId: term }),
    onSuccess: (r) => {
      message.success(`${t('rankedDone', { n: r.entrants })} · ${t('seedLabel')} ${r.seed}`);
      refresh();
    },
    onError: fail,
  });
  const withdraw = useMutation({
    mutationFn: (id: string) => post(`/enrollment/enrollments/${id}/withdraw`, { reason: '办公室操作' }),
    onSuccess: refresh,
    onError: fail,
  });

  if (terms.isLoading) return <Loading />;
  if (terms.error) return <ErrorState error={terms.error} onRetry={() => terms.refetch()} />;
  if (!terms.data?.length) return <EmptyState description={t('noTerm')} />;
  const offerings = overview.data?.offerings ?? [];

  const columns: TableColumnsType<OfferingRow> = [
    {
      title: t('offering'),
      dataIndex: 'name',
      fixed: 'left',
      width: 200,
      render: (n: string, o) => (
        <>
          <div style={{ fontWeight: 500 }}>{n}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {SLOT_LABELS[o.slot as Slot]} · {o.gradeMin}–{o.gradeMax} 年级
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('allocation'),
      dataIndex: 'allocation',
      width: 100,
      render: (a: OfferingRow['allocation']) => (
        <Tag color={a === 'lottery' ? 'purple' : a === 'fcfs' ? 'red' : a === 'ranked' ? 'blue' : 'default'}>{ALLOCATION_LABELS[a]}</Tag>
      ),
    },
    ...[1, 2, 3, 4, 5].map((wd) => ({
      title: WEEKDAY_LABELS[wd],
      key: `d${wd}`,
      width: 130,
      render: (_: unknown, o: OfferingRow) => {
        const d = o.weekdays.find((x) => x.weekday === wd);
        if (!d) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <div style={{ fontSize: 12 }}>
            <div>
              <b>{d.enrolled}</b>/{d.capacity}
              {d.offered > 0 && (
                <Tag color="orange" style={{ marginLeft: 4 }}>
                  {t('offered', { n: d.offered })}
                </Tag>
              )}
            </div>
            <Progress
              percent={Math.round((100 * d.taken) / Math.max(1, d.capacity))}
              size="small"
              showInfo={false}
              status={d.taken >= d.capacity ? 'exception' : 'normal'}
            />
            <Typography.Text type="secondary">
              {d.waitlisted > 0 ? t('waitlist', { n: d.waitlisted }) : t('applicants', { n: d.applicants })}
            </Typography.Text>
          </div>
        );
      },
    })),
    {
      title: t('actions'),
      key: 'a',
      width: 110,
      fixed: 'right',
      render: (_: unknown, o) => (
        <Space direction="vertical" size={0}>
          {canWrite && o.allocation === 'lottery' && (
            <Button size="small" type="link" icon={<ThunderboltOutlined />} onClick={() => setLottery(o)}>
              {t('runLottery')}
            </Button>
          )}
          <Button size="small" type="link" onClick={() => setFilter({ offeringId: o.id })}>
            {t('list')}
          </Button>
        </Space>
      ),
    },
  ];

  const placeColumns: TableColumnsType<PlaceRow> = [
    { title: t('offering'), dataIndex: 'offering_name' },
    { title: t('weekday'), dataIndex: 'weekday', width: 70, render: (d: number) => WEEKDAY_LABELS[d] },
    { title: t('student'), dataIndex: 'student_name', render: (n: string, r) => `${n}（${r.student_no}）` },
    { title: t('class'), dataIndex: 'class_name' },
    {
      title: t('status'),
      dataIndex: 'status',
      render: (s: PlaceRow['status'], r) => (
        <Tag color={s === 'enrolled' ? 'green' : s === 'waitlisted' ? 'gold' : s === 'offered' ? 'orange' : 'default'}>
          {s === 'waitlisted' && r.position ? `候补第 ${r.position} 位` : ENROLLMENT_STATUS_LABELS[s]}
          {s === 'offered' && r.offer_expires_at ? ` · ${formatDateTime(r.offer_expires_at).slice(5)}` : ''}
        </Tag>
      ),
    },
    {
      title: t('category'),
      dataIndex: 'priority_category',
      render: (c: string | null) => (c ? PRIORITY_LABELS[c as PriorityCategory] : ''),
    },
    {
      title: t('source'),
      dataIndex: 'source',
      width: 90,
      render: (x: string) => (x === 'office' ? t('byOffice') : (ALLOCATION_LABELS[x as OfferingRow['allocation']] ?? x)),
    },
    { title: t('from'), dataIndex: 'effective_from', width: 110 },
    ...(canWrite
      ? [
          {
            title: t('actions'),
            key: 'a',
            width: 80,
            render: (_: unknown, r: PlaceRow) =>
              ['enrolled', 'offered', 'waitlisted'].includes(r.status) ? (
                <Popconfirm title={t('withdrawConfirm')} onConfirm={() => withdraw.mutate(r.id)}>
                  <Button size="small" type="link" danger>
                    {t('withdraw')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('title')}
      extra={
        <Space wrap>
          <Select
            style={{ minWidth: 240 }}
            aria-label={t('term')}
            value={term}
            options={terms.data.map((x) => ({ value: x.id, label: x.name }))}
            onChange={setTermId}
          />
          {canWrite && offerings.some((o) => o.allocation === 'ranked') && (
            <Popconfirm title={t('ranked')} onConfirm={() => ranked.mutate()}>
              <Button loading={ranked.isPending}>{t('ranked')}</Button>
            </Popconfirm>
          )}
          <Button icon={<DownloadOutlined />} onClick={() => download(`/enrollment/export?termId=${term}`, 'enrollments.xlsx').catch(fail)}>
            {t('export')}
          </Button>
        </Space>
      }
    >
      <Tabs
        items={[
          {
            key: 'overview',
            label: t('overview'),
            children: overview.error ? (
              <ErrorState error={overview.error} />
            ) : (
              <Table
                rowKey="id"
                size="middle"
                loading={overview.isLoading}
                dataSource={offerings}
                columns={columns}
                pagination={false}
                scroll={{ x: 1100 }}
              />
            ),
          },
          {
            key: 'list',
            label: t('list'),
            children: (
              <>
                <Space wrap style={{ marginBottom: 12 }}>
                  <Select
                    allowClear
                    placeholder={t('allOfferings')}
                    style={{ minWidth: 220 }}
                    value={filter.offeringId}
                    onChange={(v) => setFilter({ ...filter, offeringId: v })}
                    options={offerings.map((o) => ({ value: o.id, label: o.name }))}
                  />
                  <Select
                    allowClear
                    placeholder={t('allDays')}
                    style={{ width: 100 }}
                    value={filter.weekday}
                    onChange={(v) => setFilter({ ...filter, weekday: v })}
                    options={[1, 2, 3, 4, 5].map((d) => ({ value: d, label: WEEKDAY_LABELS[d] }))}
                  />
                  <Select
                    allowClear
                    placeholder={t('allStatuses')}
                    style={{ width: 160 }}
                    value={filter.status}
                    onChange={(v) => setFilter({ ...filter, status: v })}
                    options={ENROLLMENT_STATUSES.map((s) => ({ value: s, label: ENROLLMENT_STATUS_LABELS[s] }))}
                  />
                </Space>
                <Table
                  rowKey="id"
                  size="small"
                  loading={places.isFetching}
                  dataSource={places.data ?? []}
                  columns={placeColumns}
                  pagination={{ pageSize: 50, showTotal: (n) => t('total', { n }) }}
                />
              </>
            ),
          },
          {
            key: 'runs',
            label: t('runs'),
            children: (
              <Table
                rowKey="id"
                size="small"
                dataSource={runs.data ?? []}
                pagination={false}
                columns={[
                  { title: t('offering'), key: 'o', render: (_: unknown, r: Run) => r.result.offering.name },
                  { title: t('runAt'), dataIndex: 'runAt', render: (d: string) => formatDateTime(d) },
                  { title: t('seedLabel'), dataIndex: 'seed', render: (s: string) => <Typography.Text code>{s}</Typography.Text> },
                  { title: t('entrants'), dataIndex: 'entrants' },
                  {
                    title: t('actions'),
                    key: 'v',
                    render: (_: unknown, r: Run) => (
                      <Button type="link" size="small" onClick={() => setShown(r)}>
                        {t('view')}
                      </Button>
                    ),
                  },
                ]}
              />
            ),
          },
        ]}
      />
      <Modal
        open={!!lottery}
        title={`${t('runLottery')}：${lottery?.name ?? ''}`}
        okText={t('runNow')}
        confirmLoading={draw.isPending}
        onOk={() => draw.mutate()}
        onCancel={() => setLottery(null)}
      >
        <Typography.Paragraph type="secondary">{t('rerunHint')}</Typography.Paragraph>
        <Input placeholder={t('seed')} value={seed} onChange={(e) => setSeed(e.target.value)} maxLength={64} />
      </Modal>
      <Modal open={!!shown} width={900} footer={null} title={t('runs')} onCancel={() => setShown(null)}>
        {shown && <LotteryResult run={shown} />}
      </Modal>
    </Card>
  );
}
