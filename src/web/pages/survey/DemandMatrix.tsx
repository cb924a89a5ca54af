/**
 * The demand matrix: weekday columns × slot and grade-band rows, each cell "pupils · groups"; a
 * subtotal per slot (groups = teachers); per day the pupils, teachers at once, duty leaders, lunches.
 */
import { Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Demand } from '../../../shared/demand';
import { SLOTS, type Slot, WEEKDAYS } from '../../../shared/plans';
import { useT } from '../../i18n';
import { dict } from './dict';

interface Row {
  key: string;
  slot?: Slot;
  label: string;
  sub: string;
  kind: 'band' | 'subtotal' | 'day';
  values: { pupils: number; groups: number; text?: string }[];
  rowSpan?: number;
}

export function DemandMatrix({ demand }: { demand: Demand }) {
  const t = useT(dict);
  const rows: Row[] = [];
  for (const slot of SLOTS) {
    for (const [i, band] of (['low', 'high'] as const).entries()) {
      rows.push({
        key: `${slot}-${band}`,
        slot,
        label: t(`slot_${slot}`),
        sub: t(`band_${band}`),
        kind: 'band',
        rowSpan: i === 0 ? 3 : 0,
        values: WEEKDAYS.map(
          (d) => demand.cells.find((c) => c.weekday === d && c.slot === slot && c.band === band) ?? { pupils: 0, groups: 0 },
        ),
      });
    }
    rows.push({
      key: `${slot}-total`,
      slot,
      label: t(`slot_${slot}`),
      sub: '',
      kind: 'subtotal',
      rowSpan: 0,
      values: WEEKDAYS.map((d) => demand.slots.find((s) => s.weekday === d && s.slot === slot) ?? { pupils: 0, groups: 0 }),
    });
  }
  const dayRow = (key: string, label: string, pick: (d: Demand['days'][number]) => number) =>
    rows.push({
      key,
      label,
      sub: '',
      kind: 'day',
      rowSpan: 1,
      values: demand.days.map((d) => ({ pupils: pick(d), groups: 0, text: String(pick(d)) })),
    });
  dayRow('pupils', t('dayPupils'), (d) => d.pupils);
  dayRow('teachers', t('dayTeachers'), (d) => d.teachers);
  dayRow('duty', t('dayDuty'), (d) => d.duty);
  dayRow('lunch', t('dayLunch'), (d) => d.lunch);

  const columns: TableColumnsType<Row> = [
    {
      title: t('slotCol'),
      dataIndex: 'label',
      width: 150,
      onCell: (r) => ({ rowSpan: r.rowSpan ?? 1, colSpan: r.kind === 'day' ? 2 : 1 }),
      render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
    },
    {
      title: t('bandCol'),
      dataIndex: 'sub',
      width: 170,
      onCell: (r) => ({ colSpan: r.kind === 'day' ? 0 : 1 }),
      render: (v: string, r) =>
        r.kind === 'subtotal' ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('subtotalLabel')}
          </Typography.Text>
        ) : (
          v
        ),
    },
    ...WEEKDAYS.map((d, i) => ({
      title: t(`wdLong_${d}`),
      key: String(d),
      align: 'center' as const,
      render: (_: unknown, r: Row) => {
        const v = r.values[i];
        if (r.kind === 'day') return <Typography.Text strong={r.key === 'duty' || r.key === 'teachers'}>{v.text}</Typography.Text>;
        if (v.pupils === 0) return <Typography.Text type="secondary">—</Typography.Text>;
        const cell = (
          <span style={{ fontVariantNumeric: 'tabular-nums', fontWeight: r.kind === 'subtotal' ? 600 : 400 }}>
            {t('pupilsGroups', { n: v.pupils, g: v.groups })}
          </span>
        );
        return r.kind === 'subtotal' ? <Tooltip title={t('subtotal', { g: v.groups })}>{cell}</Tooltip> : cell;
      },
    })),
  ];

  return (
    <Table<Row>
      size="small"
      bordered
      pagination={false}
      columns={columns}
      dataSource={rows}
      rowClassName={(r) => (r.kind === 'subtotal' ? 'kehou-subtotal' : r.kind === 'day' ? 'kehou-dayrow' : '')}
      onRow={(r) => ({ style: { background: r.kind === 'subtotal' ? '#fafafa' : r.kind === 'day' ? '#f0f5ff' : undefined } })}
      aria-label={t('tabDemand')}
    />
  );
}
