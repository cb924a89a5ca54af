/** 方案备案: the district's filing queue of its schools' plans; a row opens the review drawer. */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Segmented, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { get, qs } from '../../api';
import { EmptyState, ErrorState } from '../../components/PageState';
import { formatDateTime, useT } from '../../i18n';
import { useLabel } from '../plans/labels';
import { type PlanStatus, STATUS_COLORS, type VersionHead } from '../plans/types';
import { dict } from './dict';
import { ReviewDrawer } from './ReviewDrawer';

export interface QueueRow {
  id: string;
  status: PlanStatus;
  version: number;
  school: { id: string; name: string; code: string };
  term: { id: string; name: string; startsOn: string; endsOn: string };
  latest: VersionHead | null;
}

export default function FilingPage() {
  const t = useT(dict);
  const label = useLabel();
  const [filter, setFilter] = useState<'submitted' | 'all'>('submitted');
  const [open, setOpen] = useState<QueueRow | null>(null);
  const list = useQuery({
    queryKey: ['district', 'plans', filter],
    queryFn: () => get<QueueRow[]>(`/district/plans${qs({ status: filter === 'all' ? undefined : filter })}`),
  });
  if (list.error) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
      }
      extra={
        <Segmented
          value={filter}
          onChange={(v) => setFilter(v as 'submitted' | 'all')}
          options={[
            { value: 'submitted', label: t('pending') },
            { value: 'all', label: t('all') },
          ]}
        />
      }
    >
      <Table<QueueRow>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data}
        pagination={false}
        onRow={(r) => ({ onClick: () => r.latest && setOpen(r), style: { cursor: r.latest ? 'pointer' : undefined } })}
        locale={{ emptyText: <EmptyState description={t(filter === 'all' ? 'emptyAll' : 'empty')} /> }}
        columns={[
          { title: t('school'), key: 's', render: (_: unknown, r) => <Typography.Text strong>{r.school.name}</Typography.Text> },
          { title: t('term'), key: 't', render: (_: unknown, r) => r.term.name },
          { title: t('version'), key: 'v', render: (_: unknown, r) => r.latest?.version ?? '—' },
          { title: t('status'), dataIndex: 'status', render: (s: PlanStatus) => <Tag color={STATUS_COLORS[s]}>{label('status', s)}</Tag> },
          {
            title: t('submittedAt'),
            key: 'at',
            render: (_: unknown, r) => (r.latest?.submittedAt ? formatDateTime(r.latest.submittedAt) : '—'),
          },
          {
            title: t('warnings'),
            key: 'w',
            align: 'right',
            render: (_: unknown, r) => (r.latest?.warnings ? <Tag color="warning">{r.latest.warnings}</Tag> : '0'),
          },
          {
            title: '',
            key: 'a',
            width: 90,
            render: (_: unknown, r) =>
              r.latest && (
                <Button type={r.status === 'submitted' ? 'primary' : 'link'} size="small" onClick={() => setOpen(r)}>
                  {r.status === 'submitted' ? t('review') : t('view')}
                </Button>
              ),
          },
        ]}
      />
      <ReviewDrawer row={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
