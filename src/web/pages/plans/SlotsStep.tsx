/**
 * Step 1: the slots' times per season and grade band (the 'low' band is grades 1–2, who leave
 * earlier: 错峰), and the time rules' settings (latest and earliest end, minimum minutes, stagger).
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, InputNumber, Select, Space, Table, TimePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { GRADE_BANDS, SEASONS, SLOTS } from '../../../shared/plans';
import { useT } from '../../i18n';
import { dict } from './dict';
import { useLabel } from './labels';
import type { PlanView, Slot } from './types';
import { usePlanEdit } from './usePlanEdit';

type Row = Slot & { key: number };
const hm = (s: string) => dayjs(`2000-01-01T${s}`);
const ORDER = (s: Slot) => `${SLOTS.indexOf(s.slot)}${SEASONS.indexOf(s.season)}${GRADE_BANDS.indexOf(s.gradeBand)}`;

export function SlotsStep({ plan, readOnly }: { plan: PlanView; readOnly: boolean }) {
  const t = useT(dict);
  const label = useLabel();
  const edit = usePlanEdit(plan.id);
  const [rows, setRows] = useState<Row[]>([]);
  const [settings] = Form.useForm();
  useEffect(() => {
    setRows([...plan.slots].sort((a, b) => (ORDER(a) < ORDER(b) ? -1 : 1)).map((s, key) => ({ ...s, key })));
  }, [plan.slots]);
  useEffect(() => {
    const s = plan.settings;
    settings.setFieldsValue({ ...s, latestEnd: hm(s.latestEnd), earliestEnd: hm(s.earliestEnd) });
  }, [plan.settings, settings]);

  const change = (key: number, patch: Partial<Slot>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = () =>
    setRows((rs) => [
      ...rs,
      {
        key: Math.max(0, ...rs.map((r) => r.key)) + 1,
        slot: 'late',
        season: 'winter',
        gradeBand: 'all',
        startTime: '17:40',
        endTime: '18:00',
      },
    ]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Table<Row>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          {
            title: t('slot'),
            dataIndex: 'slot',
            render: (v: Slot['slot'], r) => (
              <Select
                disabled={readOnly}
                value={v}
                style={{ width: 150 }}
                onChange={(slot) => change(r.key, { slot })}
                options={SLOTS.map((s) => ({ value: s, label: label('slot', s) }))}
                aria-label={t('slot')}
              />
            ),
          },
          {
            title: t('season'),
            dataIndex: 'season',
            render: (v: Slot['season'], r) => (
              <Select
                disabled={readOnly}
                value={v}
                style={{ width: 110 }}
                onChange={(season) => change(r.key, { season })}
                options={SEASONS.map((s) => ({ value: s, label: label('season', s) }))}
                aria-label={t('season')}
              />
            ),
          },
          {
            title: t('band'),
            dataIndex: 'gradeBand',
            render: (v: Slot['gradeBand'], r) => (
              <Select
                disabled={readOnly}
                value={v}
                style={{ width: 120 }}
                onChange={(gradeBand) => change(r.key, { gradeBand })}
                options={GRADE_BANDS.map((b) => ({ value: b, label: label('band', b) }))}
                aria-label={t('band')}
              />
            ),
          },
          {
            title: t('time'),
            key: 'time',
            render: (_: unknown, r) => (
              <TimePicker.RangePicker
                disabled={readOnly}
                format="HH:mm"
                minuteStep={5}
                allowClear={false}
                value={[hm(r.startTime), hm(r.endTime)]}
                onChange={(v) => v?.[0] && v[1] && change(r.key, { startTime: v[0].format('HH:mm'), endTime: v[1].format('HH:mm') })}
                aria-label={t('time')}
              />
            ),
          },
          {
            key: 'x',
            width: 48,
            render: (_: unknown, r) =>
              !readOnly && (
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                  aria-label={t('delete')}
                />
              ),
          },
        ]}
      />
      {!readOnly && (
        <Space>
          <Button icon={<PlusOutlined />} onClick={add}>
            {t('addSlot')}
          </Button>
          <Button
            type="primary"
            loading={edit.isPending}
            onClick={() => edit.mutate({ method: 'PUT', path: '/slots', body: { slots: rows.map(({ key, ...s }) => s) } })}
          >
            {t('saveSlots')}
          </Button>
        </Space>
      )}
      <Card size="small" title={t('timeRules')}>
        <Form
          form={settings}
          layout="inline"
          disabled={readOnly}
          onFinish={(v: {
            latestEnd: Dayjs;
            earliestEnd: Dayjs;
            minDailyMinutes: number;
            lowerGradeStaggerMinutes: number;
            maxGroupSize: number;
          }) =>
            edit.mutate({
              method: 'PATCH',
              path: '',
              body: {
                settings: {
                  latestEnd: v.latestEnd.format('HH:mm'),
                  earliestEnd: v.earliestEnd.format('HH:mm'),
                  minDailyMinutes: v.minDailyMinutes,
                  lowerGradeStaggerMinutes: v.lowerGradeStaggerMinutes,
                  maxGroupSize: v.maxGroupSize,
                },
              },
            })
          }
        >
          <Form.Item name="latestEnd" label={t('latestEnd')}>
            <TimePicker format="HH:mm" minuteStep={5} allowClear={false} style={{ width: 90 }} />
          </Form.Item>
          <Form.Item name="earliestEnd" label={t('earliestEnd')}>
            <TimePicker format="HH:mm" minuteStep={5} allowClear={false} style={{ width: 90 }} />
          </Form.Item>
          <Form.Item name="minDailyMinutes" label={t('minDailyMinutes')}>
            <InputNumber min={0} max={600} precision={0} style={{ width: 80 }} />
          </Form.Item>
          <Form.Item name="lowerGradeStaggerMinutes" label={t('stagger')}>
            <InputNumber min={0} max={60} precision={0} style={{ width: 70 }} />
          </Form.Item>
          <Form.Item name="maxGroupSize" label={t('maxGroupSize')}>
            <InputNumber min={5} max={60} precision={0} style={{ width: 70 }} />
          </Form.Item>
          <Button htmlType="submit" loading={edit.isPending}>
            {t('saveSettings')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
