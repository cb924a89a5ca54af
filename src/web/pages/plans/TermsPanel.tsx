/** The school's terms: dates, seasons, application window, service days, and each term's plan. */
import { CalendarOutlined, EditOutlined, FileAddOutlined, FileTextOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { post } from '../../api';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { formatDate, formatDateTime, useLocale, useT } from '../../i18n';
import { errorText } from '../school/roster';
import { CalendarDrawer } from './CalendarDrawer';
import { dict } from './dict';
import { useLabel } from './labels';
import { TermForm } from './TermForm';
import { STATUS_COLORS, type TermListRow, useTerms } from './types';

export function TermsPanel({ canWrite }: { canWrite: boolean }) {
  const t = useT(dict);
  const { locale } = useLocale();
  const label = useLabel();
  const navigate = useNavigate();
  const terms = useTerms();
  const [editing, setEditing] = useState<TermListRow | null | undefined>(undefined);
  const [calendar, setCalendar] = useState<string | null>(null);
  const [planFor, setPlanFor] = useState<TermListRow | null>(null);

  if (terms.isLoading) return <Loading />;
  if (terms.error) return <ErrorState error={terms.error} onRetry={() => terms.refetch()} />;
  const rows = terms.data ?? [];

  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
            {t('addTerm')}
          </Button>
        )}
      </Space>
      <Table<TermListRow>
        rowKey="id"
        dataSource={rows}
        pagination={false}
        locale={{
          emptyText: (
            <EmptyState
              description={t('noTerms')}
              action={
                canWrite && (
                  <Button type="primary" onClick={() => setEditing(null)}>
                    {t('addTerm')}
                  </Button>
                )
              }
            />
          ),
        }}
        columns={[
          { title: t('termName'), dataIndex: 'name', width: 220, render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
          {
            title: t('termDates'),
            key: 'dates',
            render: (_: unknown, r) => `${formatDate(r.startsOn, locale)} – ${formatDate(r.endsOn, locale)}`,
          },
          {
            title: `${t('summerFrom')} / ${t('winterFrom')}`,
            key: 'season',
            render: (_: unknown, r) => (
              <Space orientation="vertical" size={0}>
                {r.summerFrom && <span>{`${label('season', 'summer')} ${r.summerFrom}`}</span>}
                {r.winterFrom && <span>{`${label('season', 'winter')} ${r.winterFrom}`}</span>}
                {!r.summerFrom && !r.winterFrom && '—'}
              </Space>
            ),
          },
          {
            title: t('applyWindow'),
            key: 'window',
            render: (_: unknown, r) =>
              r.applyOpensAt && r.applyClosesAt ? `${formatDateTime(r.applyOpensAt)} – ${formatDateTime(r.applyClosesAt)}` : '—',
          },
          {
            title: t('plan'),
            key: 'plan',
            render: (_: unknown, r) =>
              r.plan ? (
                <Space size={4} style={{ whiteSpace: 'nowrap' }}>
                  <Tag color={STATUS_COLORS[r.plan.status]}>{label('status', r.plan.status)}</Tag>
                  <Typography.Text type="secondary">{t('version', { n: r.plan.version })}</Typography.Text>
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('noPlan')}</Typography.Text>
              ),
          },
          {
            title: t('actions'),
            key: 'actions',
            render: (_: unknown, r) => (
              <Space size={0} wrap>
                {r.plan ? (
                  <Button type="link" icon={<FileTextOutlined />} onClick={() => navigate(`/office/plans/${r.plan?.id}`)}>
                    {t('openPlan')}
                  </Button>
                ) : (
                  canWrite && (
                    <Button type="link" icon={<FileAddOutlined />} onClick={() => setPlanFor(r)}>
                      {t('createPlan')}
                    </Button>
                  )
                )}
                <Button type="link" icon={<CalendarOutlined />} onClick={() => setCalendar(r.id)}>
                  {t('calendar')}
                </Button>
                {canWrite && (
                  <Button type="link" icon={<EditOutlined />} onClick={() => setEditing(r)} aria-label={`${t('edit')} ${r.name}`}>
                    {t('edit')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <TermForm open={editing !== undefined} term={editing} onClose={() => setEditing(undefined)} />
      <CalendarDrawer termId={calendar} onClose={() => setCalendar(null)} />
      <CreatePlanModal term={planFor} others={rows.filter((r) => r.plan && r.id !== planFor?.id)} onClose={() => setPlanFor(null)} />
    </>
  );
}

function CreatePlanModal({ term, others, onClose }: { term: TermListRow | null; others: TermListRow[]; onClose(): void }) {
  const t = useT(dict);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [copyFrom, setCopyFrom] = useState<string | undefined>();
  const create = useMutation({
    mutationFn: () => post<{ id: string }>('/plans', { termId: term?.id, copyFromPlanId: copyFrom ?? null }),
    onSuccess: (p) => {
      qc.invalidateQueries({ queryKey: ['terms'] });
      onClose();
      navigate(`/office/plans/${p.id}`);
    },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal
      open={!!term}
      title={`${t('createPlan')} · ${term?.name ?? ''}`}
      onCancel={onClose}
      onOk={() => create.mutate()}
      confirmLoading={create.isPending}
    >
      <Form layout="vertical">
        <Form.Item label={t('copyFrom')}>
          <Select allowClear value={copyFrom} onChange={setCopyFrom} options={others.map((o) => ({ value: o.plan?.id, label: o.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
