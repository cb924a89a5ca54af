/** Step 2: the offerings as a table (regular care first, then clubs), each with its findings marked. */
import { DeleteOutlined, EditOutlined, ExclamationCircleFilled, PlusOutlined } from '@ant-design/icons';
import { Button, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { formatMoney, useLocale, useT } from '../../i18n';
import { dict } from './dict';
import { useFindingText } from './FindingsPanel';
import { gradeText, useLabel, weekdayText } from './labels';
import { OfferingForm } from './OfferingForm';
import type { PlanView, SnapshotOffering } from './types';
import { usePlanEdit } from './usePlanEdit';

export function feeText(o: Pick<SnapshotOffering, 'feeMode' | 'feeFen'>, label: ReturnType<typeof useLabel>) {
  return o.feeMode === 'free'
    ? label('feeMode', 'free')
    : `${formatMoney(o.feeFen)}/${label('feeMode', o.feeMode).replace(/^按/, '').replace(/^Per /, '')}`;
}

export function OfferingsStep({ plan, readOnly }: { plan: PlanView; readOnly: boolean }) {
  const t = useT(dict);
  const text = useFindingText();
  const { locale } = useLocale();
  const en = locale === 'en';
  const label = useLabel();
  const edit = usePlanEdit(plan.id);
  const [editing, setEditing] = useState<SnapshotOffering | null | undefined>(undefined);
  const findingsOf = (id: string) => plan.findings.filter((f) => f.path.startsWith(`offerings.${id}.`));
  const rows = [...plan.offerings].sort((a, b) => Number(a.kind === 'club') - Number(b.kind === 'club'));

  return (
    <>
      {!readOnly && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} style={{ marginBottom: 12 }}>
          {t('addOffering')}
        </Button>
      )}
      <Table<SnapshotOffering>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 760 }}
        locale={{ emptyText: <Typography.Text type="secondary">{t('noOfferings')}</Typography.Text> }}
        columns={[
          {
            title: t('offeringName'),
            key: 'name',
            fixed: 'left',
            width: 180,
            render: (_: unknown, o) => {
              const fs = findingsOf(o.id);
              const blocks = fs.some((f) => f.severity === 'block');
              return (
                <Space orientation="vertical" size={0}>
                  <Space size={4}>
                    {fs.length > 0 && (
                      <Tooltip title={fs.map((f) => `${f.id}：${text.message(f)}`).join('\n')}>
                        <ExclamationCircleFilled
                          style={{ color: blocks ? '#ff4d4f' : '#faad14' }}
                          aria-label={fs.map((f) => f.id).join(' ')}
                        />
                      </Tooltip>
                    )}
                    <Typography.Text strong>{o.name}</Typography.Text>
                  </Space>
                  <Space size={4}>
                    <Tag color={o.kind === 'care' ? 'blue' : 'purple'}>{label('kind', o.kind)}</Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {label('category', o.category)}
                    </Typography.Text>
                  </Space>
                </Space>
              );
            },
          },
          {
            title: `${t('slot')} · ${t('weekdays')}`,
            key: 'when',
            render: (_: unknown, o) => <TwoLines top={label('slot', o.slot)} bottom={weekdayText(o.weekdays, en)} />,
          },
          { title: t('grades'), key: 'g', width: 80, render: (_: unknown, o) => gradeText(o.gradeMin, o.gradeMax, en) },
          {
            title: t('seats'),
            dataIndex: 'capacity',
            width: 64,
            align: 'right',
            render: (c: number) =>
              c > plan.settings.maxGroupSize ? (
                <Tooltip title={t('groups', { n: Math.ceil(c / plan.settings.maxGroupSize) })}>{c}</Tooltip>
              ) : (
                c
              ),
          },
          {
            title: `${t('venue')} · ${t('teacherOrProvider')}`,
            key: 'where',
            render: (_: unknown, o) => (
              <TwoLines top={o.venueName ?? '—'} bottom={[o.teacherName, o.providerName].filter(Boolean).join(' / ') || '—'} />
            ),
          },
          {
            title: `${t('fee')} · ${t('allocation')}`,
            key: 'fee',
            render: (_: unknown, o) => <TwoLines top={feeText(o, label)} bottom={label('allocation', o.allocation)} />,
          },
          ...(readOnly
            ? []
            : [
                {
                  title: t('actions'),
                  key: 'a',
                  fixed: 'right' as const,
                  width: 72,
                  render: (_: unknown, o: SnapshotOffering) => (
                    <Space size={0}>
                      <Button
                        type="link"
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => setEditing(o)}
                        aria-label={`${t('edit')} ${o.name}`}
                      />
                      <Popconfirm
                        title={t('deleteOffering')}
                        onConfirm={() => edit.mutate({ method: 'DELETE', path: `/offerings/${o.id}` })}
                      >
                        <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={`${t('delete')} ${o.name}`} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]),
        ]}
      />
      <OfferingForm planId={plan.id} open={editing !== undefined} offering={editing} onClose={() => setEditing(undefined)} />
    </>
  );
}

function TwoLines({ top, bottom }: { top: string; bottom: string }) {
  return (
    <Space orientation="vertical" size={0}>
      <span>{top}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {bottom}
      </Typography.Text>
    </Space>
  );
}
