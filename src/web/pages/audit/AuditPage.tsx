/**
 * 审计日志: who did what, when (24 h, Asia/Shanghai) and from where, newest first; filters by
 * action, actor and dates live in the URL (a pupil's file links here with ?entityId=…).
 */
import { Button, Card, DatePicker, Input, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { get, type Page, qs } from '../../api';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { formatDateTime, useLocale, useT } from '../../i18n';
import { ACTIONS, dict, ENTITIES } from './dict';

interface AuditRow {
  id: string;
  at: string;
  actorName: string;
  role: string;
  action: string;
  entity: string;
  entityId: string;
  ip: string;
  detail: Record<string, unknown> | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export default function AuditPage() {
  const t = useT(dict);
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  const [params, setParams] = useSearchParams();
  const action = params.get('action') ?? undefined;
  const actor = params.get('actor') ?? '';
  const entityId = params.get('entityId') ?? undefined;
  const from = DAY.test(params.get('from') ?? '') ? (params.get('from') as string) : undefined;
  const to = DAY.test(params.get('to') ?? '') ? (params.get('to') as string) : undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = [20, 50, 100].includes(Number(params.get('pageSize'))) ? Number(params.get('pageSize')) : 20;
  const [actorInput, setActorInput] = useState(actor);
  const filtered = !!(action || actor || entityId || from || to);

  const update = (next: Record<string, string | number | undefined>, keepPage = false) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === '') p.delete(k);
      else p.set(k, String(v));
    }
    if (!keepPage) p.delete('page');
    setParams(p);
  };

  const list = useQuery({
    queryKey: ['audit', { action, actor, entityId, from, to, page, pageSize }],
    queryFn: () => get<Page<AuditRow>>(`/audit${qs({ action, actor: actor || undefined, entityId, from, to, page, pageSize })}`),
    placeholderData: keepPreviousData,
  });

  const actionLabel = (a: string) => ACTIONS[a]?.[lang] ?? a;
  const roleLabel = (r: string) =>
    r
      .split(',')
      .filter(Boolean)
      .map((x) => t(`role_${x}`))
      .join('、');

  const columns: TableColumnsType<AuditRow> = [
    {
      title: t('at'),
      dataIndex: 'at',
      width: 170,
      render: (at: string) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatDateTime(at)}</span>,
    },
    { title: t('actor'), dataIndex: 'actorName' },
    { title: t('role'), dataIndex: 'role', render: (r: string) => roleLabel(r) || '—' },
    {
      title: t('action'),
      dataIndex: 'action',
      render: (a: string) => (
        <span>
          <Tag
            color={a.endsWith('.read') || a.endsWith('.export') ? 'blue' : a.endsWith('.delete') || a.endsWith('unlink') ? 'red' : 'green'}
          >
            {actionLabel(a)}
          </Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {a}
          </Typography.Text>
        </span>
      ),
    },
    {
      title: t('entity'),
      key: 'entity',
      render: (_: unknown, r) => {
        // detail.name names the subject only when the action is about the entity itself (pickup.* names the adult)
        const name = typeof r.detail?.name === 'string' && r.action.startsWith(`${r.entity}.`) ? r.detail.name : null;
        return (
          <span>
            {ENTITIES[r.entity]?.[lang] ?? r.entity}
            {name && ` · ${name}`}
          </span>
        );
      },
    },
    { title: t('ip'), dataIndex: 'ip', width: 140, render: (ip: string) => <Typography.Text code>{ip || '—'}</Typography.Text> },
  ];

  const filters = (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, marginBottom: 16, alignItems: 'center' }}>
      <Select
        aria-label={t('action')}
        placeholder={t('allActions')}
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        value={action}
        onChange={(v) => update({ action: v })}
        options={Object.entries(ACTIONS).map(([value, l]) => ({ value, label: l[lang] }))}
        style={{ width: 200 }}
      />
      <Input.Search
        aria-label={t('actor')}
        placeholder={t('actorPlaceholder')}
        allowClear
        value={actorInput}
        onChange={(e) => {
          setActorInput(e.target.value);
          if (!e.target.value && actor) update({ actor: undefined });
        }}
        onSearch={(v) => update({ actor: v.trim() || undefined })}
        style={{ width: 200 }}
      />
      <DatePicker.RangePicker
        aria-label={`${t('from')} – ${t('to')}`}
        placeholder={[t('from'), t('to')]}
        allowEmpty={[true, true]}
        value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
        onChange={(v) => update({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })}
      />
      {entityId && (
        <Tag closable onClose={() => update({ entityId: undefined })} color="processing">
          {t('onlyEntity', { id: entityId.slice(0, 8) })}
        </Tag>
      )}
    </div>
  );

  return (
    <Card title={t('title')}>
      <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>
      {filters}
      {list.isLoading ? (
        <Loading rows={8} />
      ) : list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <Table<AuditRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching && !list.isLoading}
          expandable={{
            expandedRowRender: (r) => (
              <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                {JSON.stringify({ entityId: r.entityId || undefined, ...r.detail }, null, 2)}
              </pre>
            ),
          }}
          locale={{
            emptyText: filtered ? (
              <EmptyState
                description={t('empty')}
                action={
                  <Button
                    onClick={() => {
                      setActorInput('');
                      setParams(new URLSearchParams());
                    }}
                  >
                    {t('clearFilters')}
                  </Button>
                }
              />
            ) : (
              <EmptyState description={t('emptyNone')} />
            ),
          }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (n) => t('total', { n }),
            onChange: (p, s) => update({ page: p, pageSize: s === 20 ? undefined : s }, s === pageSize),
          }}
        />
      )}
    </Card>
  );
}
