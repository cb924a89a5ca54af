/**
 * 编班 for the office: pick the term, generate the care groups from the enrolments (HiGHS; a loading
 * state while it runs), see the violations, and the board per weekday × slot with groups as cards
 * (pupils, teacher, room). 调整 changes a group's teacher or room or moves a pupil (GroupEdit), checked
 * against the same rules on the server.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Popover, Row, Segmented, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { get, post } from '../../api';
import { type Dict, useT } from '../../i18n';
import { GroupEdit } from './GroupEdit';

interface Term {
  id: string;
  name: string;
  startsOn: string;
}
interface Violation {
  code: string;
  rule: string;
  message: string;
  weekday?: number;
}
interface BoardGroup {
  id: string;
  key: string;
  weekday: number;
  slot: string;
  band: string;
  index: number;
  campusId: string;
  campusName: string;
  offeringId: string;
  offeringName: string;
  teacherStaffId: string | null;
  venueId: string | null;
  offeringKind: string;
  teacherName: string | null;
  providerName: string;
  venueName: string | null;
  venueCapacity: number | null;
  pupils: { id: string; name: string; grade: number; className: string }[];
}
interface Board {
  groups: BoardGroup[];
  duty: { weekday: number; name: string }[];
  run: { generatedAt: string; violations: Violation[]; notes: Violation[]; solver: { seconds: number; status: string } } | null;
}

const dict: Dict = {
  zh: {
    title: '编班与排班',
    generate: '按录取结果生成托管组',
    regenerate: '重新生成（替换本学期分组）',
    generating: '正在优化编班…',
    term: '学期',
    none: '本学期还没有托管组。录取完成后点击“生成托管组”。',
    violations: '{n} 条规则问题',
    ok: '全部规则满足（每组不超过 35 人，一组一名教师，每 4 组一名值班领导）',
    generated: '生成于 {t}，用时 {s} 秒',
    duty: '值班领导',
    pupils: '{n} 人',
    provider: '外聘',
    noGroups: '该时段没有托管组',
    low: '一二年级',
    high: '三至六年级',
    mixed: '混合',
    morning: '上午延时',
    noon: '午托',
    afternoon: '下午课后服务',
    late: '延时托管',
    notes: '自动调整',
    edit: '调整',
  },
  en: {
    title: 'Groups & rota',
    generate: 'Generate groups from enrolments',
    regenerate: 'Regenerate (replaces this term’s groups)',
    generating: 'Optimising…',
    term: 'Term',
    none: 'No groups for this term yet. Generate them once enrolment is done.',
    violations: '{n} rule problems',
    ok: 'All rules hold (≤35 per group, one teacher each, one duty leader per 4 groups)',
    generated: 'Generated {t} in {s}s',
    duty: 'Duty leaders',
    pupils: '{n} pupils',
    provider: 'provider',
    noGroups: 'No groups in this slot',
    low: 'Grades 1–2',
    high: 'Grades 3–6',
    mixed: 'Mixed',
    morning: 'Morning',
    noon: 'Noon',
    afternoon: 'Afternoon',
    late: 'Late',
    notes: 'Adjusted',
    edit: 'Edit',
  },
};
const WEEKDAYS = [1, 2, 3, 4, 5];
const WD = ['', '周一', '周二', '周三', '周四', '周五'];

export default function GroupsPage() {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const terms = useQuery({ queryKey: ['terms'], queryFn: () => get<Term[]>('/terms') });
  const [termId, setTermId] = useState<string>();
  const [weekday, setWeekday] = useState(1);
  const [slot, setSlot] = useState('afternoon');
  const [editing, setEditing] = useState<string>();
  useEffect(() => {
    if (!termId && terms.data?.length) setTermId(terms.data[0].id);
  }, [terms.data, termId]);
  const board = useQuery({
    queryKey: ['groups-board', termId],
    enabled: !!termId,
    queryFn: () => get<Board>(`/daily/terms/${termId}/groups`),
  });
  const generate = useMutation({
    mutationFn: () => post<{ groups: number; violations: Violation[] }>(`/daily/terms/${termId}/groups/generate`),
    onSuccess: (r) => {
      message.success(`${r.groups}`);
      qc.invalidateQueries({ queryKey: ['groups-board', termId] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const b = board.data;
  const shown = b?.groups.filter((g) => g.weekday === weekday && g.slot === slot) ?? [];
  const slots = [...new Set(b?.groups.map((g) => g.slot) ?? [])];
  // the engine names groups by key (slot:offering:campus:band:n); people read the offering, band and number
  const names = new Map(b?.groups.map((g) => [g.key, `${g.campusName} ${g.offeringName} ${t(g.band)} ${g.index}组`]) ?? []);
  const readable = (m: string) => m.replace(/[a-z]+:[0-9a-f-]{36}:[0-9a-f-]{36}:[a-z]+:\d+/g, (k) => names.get(k) ?? k);
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Space wrap>
          <span>{t('term')}</span>
          <Select
            style={{ minWidth: 240 }}
            value={termId}
            onChange={setTermId}
            options={terms.data?.map((x) => ({ value: x.id, label: x.name }))}
            aria-label={t('term')}
          />
          <Button type="primary" loading={generate.isPending} disabled={!termId} onClick={() => generate.mutate()}>
            {generate.isPending ? t('generating') : b?.groups.length ? t('regenerate') : t('generate')}
          </Button>
        </Space>
      </Space>
      {(board.isLoading || generate.isPending) && <Skeleton active />}
      {b?.run && (
        <Alert
          style={{ marginBottom: 16 }}
          type={b.run.violations.length ? 'warning' : 'success'}
          showIcon
          message={b.run.violations.length ? t('violations', { n: b.run.violations.length }) : t('ok')}
          description={
            <div>
              <div>
                {t('generated', {
                  t: new Date(b.run.generatedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }),
                  s: b.run.solver.seconds?.toFixed?.(2) ?? '',
                })}
              </div>
              {b.run.violations.slice(0, 20).map((v) => (
                <div key={`${v.code}|${v.weekday ?? ''}|${v.message}`}>
                  <Tag color="red">{v.rule}</Tag>
                  {v.weekday ? `${WD[v.weekday]} ` : ''}
                  {readable(v.message)}
                </div>
              ))}
              {b.run.notes.slice(0, 10).map((v) => (
                <div key={`n|${v.code}|${v.message}`}>
                  <Tag>{t('notes')}</Tag>
                  {readable(v.message)}
                </div>
              ))}
            </div>
          }
        />
      )}
      {b && b.groups.length === 0 && !generate.isPending && <Empty description={t('none')} />}
      {b && b.groups.length > 0 && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <Segmented
              value={weekday}
              onChange={(v) => setWeekday(Number(v))}
              options={WEEKDAYS.map((w) => ({
                value: w,
                label: `${WD[w]} (${b.groups.filter((g) => g.weekday === w && g.slot === slot).length})`,
              }))}
            />
            <Segmented value={slot} onChange={(v) => setSlot(String(v))} options={slots.map((s) => ({ value: s, label: t(s) }))} />
          </Space>
          <div style={{ marginBottom: 12 }}>
            <Typography.Text type="secondary">{t('duty')}：</Typography.Text>
            {b.duty
              .filter((d) => d.weekday === weekday)
              .map((d) => (
                <Tag key={d.name} color="blue">
                  {d.name}
                </Tag>
              ))}
          </div>
          {shown.length === 0 && <Empty description={t('noGroups')} />}
          <Row gutter={[12, 12]}>
            {shown.map((g) => (
              <Col key={g.id} xs={24} sm={12} lg={8} xxl={6}>
                <Card
                  size="small"
                  title={`${g.offeringName} · ${t(g.band)} ${g.index}组`}
                  extra={
                    <Space size={4}>
                      <Tag color={g.pupils.length > 35 ? 'red' : 'default'}>{t('pupils', { n: g.pupils.length })}</Tag>
                      <Button size="small" type="link" onClick={() => setEditing(g.id)}>
                        {t('edit')}
                      </Button>
                    </Space>
                  }
                >
                  <div>
                    {g.campusName} · {g.venueName ?? '—'}
                    {g.venueCapacity ? `（${g.venueCapacity}座）` : ''}
                  </div>
                  <div style={{ margin: '4px 0 8px' }}>
                    {g.teacherName ?? (g.providerName ? `${g.providerName}（${t('provider')}）` : '—')}
                  </div>
                  <Popover content={<div style={{ maxWidth: 360 }}>{g.pupils.map((p) => `${p.name}(${p.className})`).join('、')}</div>}>
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 12 }}>
                      {g.pupils.map((p) => p.name).join('、')}
                    </Typography.Paragraph>
                  </Popover>
                </Card>
              </Col>
            ))}
          </Row>
        </>
      )}
      <GroupEdit
        group={b?.groups.find((g) => g.id === editing) ?? null}
        siblings={b?.groups ?? []}
        name={(g) => `${g.offeringName} ${t(g.band)} ${g.index}组`}
        readable={readable}
        onClose={() => setEditing(undefined)}
      />
    </div>
  );
}
