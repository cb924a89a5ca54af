/**
 * 排班表 for the office: the term's rota per week (groups × school days, the duty leaders, swapped
 * shifts marked) or per teacher (every shift of the term), printable on A4 landscape, exported to
 * .xlsx by month or by teacher; the swaps waiting for approval on top.
 */
import { useQuery } from '@tanstack/react-query';
import { App, Button, Empty, Segmented, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { SLOT_LABELS } from '../../../shared/plans';
import { download, get, qs } from '../../api';
import { ErrorState } from '../../components/PageState';
import { type Dict, useT } from '../../i18n';
import './rota.css';
import SwapsPanel from './SwapsPanel';
import { addDays, type Colleague, currentTerm, type Day, type Entry, isoWeekday, mondayOf, type Rota, type Term, WD } from './types';

const dict: Dict = {
  zh: {
    title: '排班表',
    week: '按周',
    teacher: '按教师',
    prev: '上一周',
    next: '下一周',
    thisWeek: '本周',
    print: '打印',
    xlsxMonth: '导出 Excel（按月）',
    xlsxTeacher: '导出 Excel（按教师）',
    group: '托管组',
    duty: '值班领导',
    none: '这一周没有课后服务（假期或学期外）',
    pick: '选择教师',
    noShifts: '该教师本学期没有班次',
    date: '日期',
    slot: '时段',
    time: '时间',
    venue: '场地',
    swapped: '调班',
    makeup: '调休（按{w}课表）',
    winter: '冬季作息',
    shifts: '共 {n} 个班次',
  },
  en: {
    title: 'Rota',
    week: 'By week',
    teacher: 'By teacher',
    prev: 'Previous week',
    next: 'Next week',
    thisWeek: 'This week',
    print: 'Print',
    xlsxMonth: 'Excel (by month)',
    xlsxTeacher: 'Excel (by teacher)',
    group: 'Group',
    duty: 'Duty leaders',
    none: 'No service this week (holiday or outside the term)',
    pick: 'Choose a teacher',
    noShifts: 'No shifts this term',
    date: 'Date',
    slot: 'Slot',
    time: 'Time',
    venue: 'Room',
    swapped: 'swap',
    makeup: 'Make-up day ({w} timetable)',
    winter: 'winter times',
    shifts: '{n} shifts',
  },
};

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

function Person({ e }: { e: Entry }) {
  return (
    <span className={e.swapped ? 'rota-swapped' : undefined}>
      {e.staffName || '—'}
      {e.swapped && (
        <Tag color="orange" style={{ marginLeft: 4 }}>
          调
        </Tag>
      )}
    </span>
  );
}

function WeekGrid({ days, t }: { days: Day[]; t: ReturnType<typeof useT> }) {
  const rows = useMemo(() => {
    const m = new Map<string, { key: string; slot: string; label: string; campus: string; cells: Map<string, Entry> }>();
    for (const d of days)
      for (const e of d.entries) {
        // one row per group (the same label, campus and slot on every weekday) and one for the duty leaders
        const k = e.groupId ? `${e.slot}|${e.campusName}|${e.label}` : '~duty';
        const row = m.get(k) ?? { key: k, slot: e.slot, label: e.groupId ? e.label : t('duty'), campus: e.campusName, cells: new Map() };
        row.cells.set(e.groupId ? d.date : `${d.date}|${e.staffId}`, e);
        m.set(k, row);
      }
    const order = ['morning', 'noon', 'afternoon', 'late'];
    return [...m.values()].sort((a, b) =>
      a.key === '~duty'
        ? -1
        : b.key === '~duty'
          ? 1
          : order.indexOf(a.slot) - order.indexOf(b.slot) || a.campus.localeCompare(b.campus) || a.label.localeCompare(b.label, 'zh-CN'),
    );
  }, [days, t]);
  if (!days.length) return <Empty description={t('none')} />;
  return (
    <Table
      className="rota-table"
      size="small"
      bordered
      pagination={false}
      rowKey="key"
      dataSource={rows}
      columns={[
        {
          title: t('group'),
          key: 'g',
          width: 220,
          fixed: 'left',
          render: (_, r) => (
            <div>
              <div style={{ fontWeight: 500 }}>{r.label}</div>
              {r.key !== '~duty' && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.campus} · {SLOT_LABELS[r.slot as keyof typeof SLOT_LABELS]}
                </Typography.Text>
              )}
            </div>
          ),
        },
        ...days.map((d) => ({
          title: (
            <div>
              {d.date.slice(5)} {WD[isoWeekday(d.date)]}
              {d.makeup && <div className="rota-note">{t('makeup', { w: WD[d.weekday] })}</div>}
              {d.season === 'winter' && <div className="rota-note">{t('winter')}</div>}
            </div>
          ),
          key: d.date,
          render: (_: unknown, r: (typeof rows)[number]) => {
            if (r.key === '~duty')
              return (
                <Space size={2} wrap>
                  {[...r.cells]
                    .filter(([k]) => k.startsWith(d.date))
                    .map(([k, e]) => (
                      <Person key={k} e={e} />
                    ))}
                </Space>
              );
            const e = r.cells.get(d.date);
            if (!e) return null;
            return (
              <div>
                <Person e={e} />
                <div className="rota-note">
                  {e.time} {e.venueName ?? ''}
                </div>
              </div>
            );
          },
        })),
      ]}
    />
  );
}

export default function RotaPage() {
  const t = useT(dict);
  const { message } = App.useApp();
  const terms = useQuery({ queryKey: ['terms'], queryFn: () => get<Term[]>('/terms') });
  const [termId, setTermId] = useState<string>();
  const [mode, setMode] = useState<'week' | 'teacher'>('week');
  const [monday, setMonday] = useState(mondayOf(today()));
  const [staffId, setStaffId] = useState<string>();
  useEffect(() => {
    if (!termId && terms.data?.length) setTermId(currentTerm(terms.data, today())?.id);
  }, [terms.data, termId]);
  const staff = useQuery({ queryKey: ['rota-staff'], queryFn: () => get<{ staff: Colleague[] }>('/rota/staff') });
  const range = mode === 'week' ? { from: monday, to: addDays(monday, 6) } : { staffId };
  const rota = useQuery({
    queryKey: ['rota', termId, range],
    enabled: !!termId && (mode === 'week' || !!staffId),
    queryFn: () => get<Rota>(`/rota/terms/${termId}${qs(range)}`),
  });
  const exportXlsx = (by: 'month' | 'teacher') =>
    download(`/rota/terms/${termId}/export?by=${by}`, `rota-${by}.xlsx`).catch((e: Error) => message.error(e.message));
  const term = terms.data?.find((x) => x.id === termId);
  const shifts = rota.data?.days.flatMap((d) => d.entries.map((e) => ({ ...e, d }))) ?? [];
  return (
    <div className="rota-page">
      <Space className="no-print" style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Space wrap>
          <Select
            style={{ minWidth: 220 }}
            value={termId}
            onChange={setTermId}
            options={terms.data?.map((x) => ({ value: x.id, label: x.name }))}
          />
          <Button onClick={() => window.print()}>{t('print')}</Button>
          <Button onClick={() => exportXlsx('month')} disabled={!termId}>
            {t('xlsxMonth')}
          </Button>
          <Button onClick={() => exportXlsx('teacher')} disabled={!termId}>
            {t('xlsxTeacher')}
          </Button>
        </Space>
      </Space>
      <div className="no-print">
        <SwapsPanel />
      </div>
      <Space className="no-print" wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={mode}
          onChange={(v) => setMode(v as 'week' | 'teacher')}
          options={[
            { value: 'week', label: t('week') },
            { value: 'teacher', label: t('teacher') },
          ]}
        />
        {mode === 'week' ? (
          <Space>
            <Button onClick={() => setMonday(addDays(monday, -7))}>{t('prev')}</Button>
            <Button onClick={() => setMonday(mondayOf(today()))}>{t('thisWeek')}</Button>
            <Button onClick={() => setMonday(addDays(monday, 7))}>{t('next')}</Button>
          </Space>
        ) : (
          <Select
            showSearch
            optionFilterProp="label"
            style={{ minWidth: 200 }}
            placeholder={t('pick')}
            value={staffId}
            onChange={setStaffId}
            options={staff.data?.staff.map((s) => ({ value: s.id, label: s.name }))}
          />
        )}
      </Space>
      <Typography.Title level={5} className="rota-heading">
        {term?.name ?? ''} {t('title')}{' '}
        {mode === 'week'
          ? `${monday} — ${addDays(monday, 6)}`
          : `${staff.data?.staff.find((s) => s.id === staffId)?.name ?? ''} ${t('shifts', { n: shifts.length })}`}
      </Typography.Title>
      {rota.isLoading && <Skeleton active />}
      {rota.error && <ErrorState error={rota.error} onRetry={() => rota.refetch()} />}
      {rota.data && mode === 'week' && <WeekGrid days={rota.data.days} t={t} />}
      {rota.data && mode === 'teacher' && (
        <Table
          className="rota-table"
          size="small"
          bordered
          pagination={false}
          rowKey={(r) => `${r.d.date}|${r.groupId ?? 'duty'}`}
          dataSource={shifts}
          locale={{ emptyText: t('noShifts') }}
          columns={[
            {
              title: t('date'),
              key: 'date',
              render: (_, r) => `${r.d.date} ${WD[isoWeekday(r.d.date)]}${r.d.makeup ? `（${t('makeup', { w: WD[r.d.weekday] })}）` : ''}`,
            },
            { title: t('slot'), key: 'slot', render: (_, r) => SLOT_LABELS[r.slot] },
            { title: t('time'), dataIndex: 'time' },
            { title: t('group'), key: 'label', render: (_, r) => `${r.campusName} ${r.label}` },
            { title: t('venue'), dataIndex: 'venueName' },
            { title: t('swapped'), key: 'sw', render: (_, r) => (r.swapped ? <Tag color="orange">{t('swapped')}</Tag> : null) },
          ]}
        />
      )}
    </div>
  );
}
