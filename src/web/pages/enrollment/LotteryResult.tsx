/** A lottery run as its public audit record: seed, weights, the draw order and who got a seat. */
import { Descriptions, Table, Tag, Typography } from 'antd';
import { PRIORITY_LABELS, type PriorityCategory, WEEKDAY_LABELS } from '../../../shared/plans';
import { formatDateTime, useT } from '../../i18n';
import { dict } from './dict';

export interface Run {
  id: string;
  offeringId: string;
  seed: string;
  weights: Record<string, number>;
  entrants: number;
  runAt: string;
  result: {
    offering: { name: string };
    order: { place: number; studentId: string; name: string; className: string; category: string | null; weight: number }[];
    weekdays: Record<string, { capacity: number; free: number; enrolled: string[]; waitlisted: string[] }>;
  };
}

export function LotteryResult({ run }: { run: Run }) {
  const t = useT(dict);
  const seated = (id: string) =>
    Object.entries(run.result.weekdays)
      .filter(([, w]) => w.enrolled.includes(id))
      .map(([d]) => WEEKDAY_LABELS[Number(d)]);
  const waiting = (id: string) =>
    Object.entries(run.result.weekdays)
      .filter(([, w]) => w.waitlisted.includes(id))
      .map(([d]) => WEEKDAY_LABELS[Number(d)]);
  return (
    <>
      <Descriptions size="small" column={2} bordered style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('offering')}>{run.result.offering.name}</Descriptions.Item>
        <Descriptions.Item label={t('runAt')}>{formatDateTime(run.runAt)}</Descriptions.Item>
        <Descriptions.Item label={t('seedLabel')}>
          <Typography.Text code copyable>
            {run.seed}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('entrants')}>{run.entrants}</Descriptions.Item>
        <Descriptions.Item label={t('weights')} span={2}>
          {Object.entries(run.weights).map(([k, v]) => (
            <Tag key={k}>
              {k === 'none' ? '无' : (PRIORITY_LABELS[k as PriorityCategory] ?? k)} × {v}
            </Tag>
          ))}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">{t('rerunHint')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="studentId"
        dataSource={run.result.order}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('place'), dataIndex: 'place', width: 70 },
          { title: t('student'), dataIndex: 'name' },
          { title: t('class'), dataIndex: 'className' },
          {
            title: t('category'),
            dataIndex: 'category',
            render: (c: string | null) => (c ? <Tag color="orange">{PRIORITY_LABELS[c as PriorityCategory] ?? c}</Tag> : '—'),
          },
          { title: t('weight'), dataIndex: 'weight', width: 70 },
          {
            title: t('result'),
            key: 'r',
            render: (_: unknown, r) => (
              <>
                {seated(r.studentId).length > 0 && <Tag color="green">{t('enrolledDays', { d: seated(r.studentId).join('、') })}</Tag>}
                {waiting(r.studentId).length > 0 && <Tag color="gold">{t('waitDays', { d: waiting(r.studentId).join('、') })}</Tag>}
              </>
            ),
          },
        ]}
      />
    </>
  );
}
