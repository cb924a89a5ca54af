/**
 * The duty leader's afternoon (desktop and phone): open missing cases first in red, a tile per
 * group with 应到/实到/请假/未到/已接/接力 and the teacher's check-in, relay pupils with the guardians'
 * phones, and 结束今日 (refused with the list of pupils still unaccounted for). Live through SSE.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Empty,
  Input,
  List,
  Modal,
  Radio,
  Row,
  Skeleton,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, get, post } from '../../api';
import { type Dict, useT } from '../../i18n';
import { accessOf } from '../../access';
import { useMe } from '../../auth';
import { hhmm } from '../rollcall/types';
import { IncidentsPanel } from './IncidentsPanel';
import { PatrolsPanel } from './PatrolsPanel';
import { Headcount } from '../handover/Headcount';

interface Counts {
  expected: number;
  present: number;
  late: number;
  leave: number;
  absent: number;
  unmarked: number;
  released: number;
  relay: number;
}
interface GroupTile extends Counts {
  id: string;
  slot: string;
  index: number;
  offeringName: string;
  campusName: string;
  venueName: string | null;
  teacherName: string | null;
  checkedInAt: string | null;
}
interface Phone {
  name: string;
  phone: string;
  relation: string;
}
interface Case {
  id: string;
  status: string;
  outcome: string | null;
  note: string;
  openedAt: string;
  name: string;
  className: string;
  offeringName: string;
  openedBy: string | null;
  resolvedBy: string | null;
  guardians: Phone[];
}
interface RelayPupil {
  studentId: string;
  groupId: string;
  name: string;
  className: string;
  relayAt: string;
  handover: string;
  releasedAt: string | null;
  releasedToName: string | null;
  guardians: Phone[];
}
interface Console {
  day: string;
  reason: string | null;
  closed: { closedAt: string; by: string } | null;
  /** today's duty leaders after approved swaps */
  leaders?: { id: string; name: string }[];
  groups: GroupTile[];
  campuses: (Counts & { campusName: string })[];
  cases: Case[];
  relay: RelayPupil[];
}

const dict: Dict = {
  zh: {
    title: '值班台',
    leaders: '今日值班领导',
    cases: '未到个案',
    relay: '接力托管',
    groups: '各组情况',
    close: '结束今日',
    closed: '今日已于 {t} 结束（{by}）',
    closeRefused: '还有学生未交接或去向不明',
    expected: '应到',
    present: '实到',
    leave: '请假',
    absent: '未到',
    released: '已接',
    relayN: '接力',
    late: '迟到',
    checkedIn: '已到岗 {t}',
    notIn: '教师未到岗',
    resolve: '记录结果',
    found: '已找到',
    guardian_confirmed: '家长确认',
    other: '其他',
    note: '说明（选“其他”时必填）',
    noCases: '没有未到个案',
    noRelay: '暂无接力学生',
    collected: '{t} 由 {who} 接走',
    noService: '今天没有托管服务',
    unmarked: '未点名',
    open: '处理中',
    resolvedBy: '{who} 已处理',
    live: '实时',
  },
  en: {
    leaders: 'Duty leaders today',
    title: 'Duty console',
    cases: 'Missing pupils',
    relay: 'Relay care',
    groups: 'Groups',
    close: 'Close the day',
    closed: 'Closed at {t} by {by}',
    closeRefused: 'Some pupils are not accounted for',
    expected: 'Expected',
    present: 'In',
    leave: 'Leave',
    absent: 'Absent',
    released: 'Collected',
    relayN: 'Relay',
    late: 'Late',
    checkedIn: 'Teacher in {t}',
    notIn: 'Teacher not checked in',
    resolve: 'Record outcome',
    found: 'Found',
    guardian_confirmed: 'Guardian confirmed',
    other: 'Other',
    note: 'Note (required for Other)',
    noCases: 'No missing pupils',
    noRelay: 'No pupils in relay care',
    collected: '{t} collected by {who}',
    noService: 'No service today',
    unmarked: 'Not marked',
    open: 'Open',
    resolvedBy: 'Resolved by {who}',
    live: 'Live',
  },
};

export default function DutyPage() {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const access = accessOf(useMe().data);
  const data = useQuery({ queryKey: ['daily-duty'], queryFn: () => get<Console>('/daily/duty'), refetchInterval: 60_000 });
  const [live, setLive] = useState(false);
  const [resolving, setResolving] = useState<Case | null>(null);
  const [outcome, setOutcome] = useState('found');
  const [note, setNote] = useState('');
  const [refused, setRefused] = useState<{ name: string; className: string; status: string; handover: string }[] | null>(null);
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource('/api/daily/events');
    es.onopen = () => setLive(true);
    es.onerror = () => setLive(false);
    es.addEventListener('changed', (ev) => {
      const kind = (JSON.parse((ev as MessageEvent).data || '{}') as { kind?: string }).kind;
      if (kind === 'incident') qc.invalidateQueries({ queryKey: ['carelog-incidents'] });
      else if (kind === 'patrol') qc.invalidateQueries({ queryKey: ['carelog-patrols'] });
      else qc.invalidateQueries({ queryKey: ['daily-duty'] });
    });
    return () => es.close();
  }, [qc]);
  const resolve = useMutation({
    mutationFn: () => post(`/daily/cases/${resolving?.id}/resolve`, { outcome, note }),
    onSuccess: () => {
      setResolving(null);
      setNote('');
      qc.invalidateQueries({ queryKey: ['daily-duty'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const close = useMutation({
    mutationFn: () => post('/daily/close'),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['daily-duty'] }),
    onError: (e: Error) => {
      if (e instanceof ApiError && e.code === 'DAY_NOT_ACCOUNTED') setRefused((e.details as { pupils: never[] }).pupils);
      else message.error(e.message);
    },
  });
  const d = data.data;
  if (data.isLoading) return <Skeleton active style={{ padding: 16 }} />;
  if (data.error) return <Alert type="error" message={(data.error as Error).message} />;
  if (!d) return null;
  const open = d.cases.filter((c) => c.status === 'open');
  return (
    <div style={{ padding: 12 }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('title')} · {d.day} <Badge status={live ? 'processing' : 'default'} text={t('live')} />
        </Typography.Title>
        {d.closed ? (
          <Tag color="green">{t('closed', { t: hhmm(d.closed.closedAt), by: d.closed.by })}</Tag>
        ) : (
          <Button type="primary" danger size="large" loading={close.isPending} onClick={() => close.mutate()}>
            {t('close')}
          </Button>
        )}
      </Space>
      {!!d.leaders?.length && (
        <div style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{t('leaders')}：</Typography.Text>
          {d.leaders.map((l) => (
            <Tag key={l.id} color="blue">
              {l.name}
            </Tag>
          ))}
        </div>
      )}
      {d.reason && <Empty description={t('noService')} />}
      {refused && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setRefused(null)}
          style={{ marginBottom: 12 }}
          message={`${t('closeRefused')}（${refused.length}）`}
          description={refused
            .map(
              (p) =>
                `${p.name}（${p.className}，${t(p.handover === 'relay' ? 'relayN' : p.status === 'expected' ? 'unmarked' : p.status)}）`,
            )
            .join('、')}
        />
      )}
      {d.campuses.length > 0 && (
        <Row gutter={[8, 8]} style={{ marginBottom: 12 }}>
          {d.campuses.map((c) => (
            <Col key={c.campusName} xs={24} md={12}>
              <Card size="small" title={c.campusName}>
                <Space size="large" wrap>
                  {(['expected', 'present', 'late', 'leave', 'absent', 'released', 'relay'] as const).map((k) => (
                    <Statistic
                      key={k}
                      title={t(k === 'relay' ? 'relayN' : k)}
                      value={c[k]}
                      valueStyle={{ color: k === 'absent' && c[k] ? '#cf1322' : undefined }}
                    />
                  ))}
                </Space>
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <Card
        size="small"
        title={
          <span style={{ color: open.length ? '#cf1322' : undefined }}>
            {t('cases')} ({open.length})
          </span>
        }
        style={{ marginBottom: 12, borderColor: open.length ? '#ff4d4f' : undefined }}
      >
        {d.cases.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noCases')} />
        ) : (
          <List
            dataSource={d.cases}
            renderItem={(c) => (
              <List.Item
                style={{ background: c.status === 'open' ? '#fff1f0' : undefined, padding: 8 }}
                actions={
                  c.status === 'open'
                    ? [
                        <Button key="r" danger onClick={() => setResolving(c)}>
                          {t('resolve')}
                        </Button>,
                      ]
                    : [<Tag key="d">{t(c.outcome ?? 'other')}</Tag>]
                }
              >
                <List.Item.Meta
                  title={
                    <span style={{ color: c.status === 'open' ? '#cf1322' : '#999' }}>
                      {c.name} · {c.className} · {c.offeringName} · {hhmm(c.openedAt)}
                    </span>
                  }
                  description={
                    c.status === 'open'
                      ? c.guardians.map((g) => (
                          <a key={g.phone} href={`tel:${g.phone}`} style={{ marginRight: 12 }}>
                            {g.relation} {g.name} {g.phone}
                          </a>
                        ))
                      : `${t('resolvedBy', { who: c.resolvedBy ?? '' })} ${c.note}`
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      {!d.reason && <IncidentsPanel canClose={access.has('incident.close')} />}
      <Card size="small" title={`${t('relay')} (${d.relay.filter((r) => r.handover === 'relay').length})`} style={{ marginBottom: 12 }}>
        {d.relay.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noRelay')} />
        ) : (
          <List
            dataSource={d.relay}
            renderItem={(r) => (
              <List.Item style={{ color: r.handover === 'released' ? '#aaa' : undefined }}>
                <List.Item.Meta
                  title={`${r.name} · ${r.className}`}
                  description={
                    r.handover === 'released'
                      ? t('collected', { t: hhmm(r.releasedAt), who: r.releasedToName ?? '' })
                      : r.guardians.map((g) => (
                          <a key={g.phone} href={`tel:${g.phone}`} style={{ marginRight: 12, fontSize: 15 }}>
                            {g.relation} {g.name} {g.phone}
                          </a>
                        ))
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      {!d.reason && access.has('headcount.write') && <Headcount />}
      {!d.reason && access.has('patrol.write') && (
        <PatrolsPanel
          groups={d.groups.map((g) => ({ id: g.id, label: `${g.offeringName} ${g.index}组${g.venueName ? ` · ${g.venueName}` : ''}` }))}
        />
      )}
      <Typography.Title level={5}>{t('groups')}</Typography.Title>
      <Row gutter={[8, 8]}>
        {d.groups.map((g) => (
          <Col key={g.id} xs={12} md={8} xl={6}>
            <Card
              size="small"
              title={`${g.offeringName} ${g.index}组`}
              extra={<Typography.Text type="secondary">{g.venueName}</Typography.Text>}
              style={{ borderColor: g.absent ? '#ff4d4f' : undefined }}
            >
              <div style={{ fontSize: 13, marginBottom: 4 }}>
                {g.teacherName ?? '—'}{' '}
                {g.checkedInAt ? (
                  <Tag color="green">{t('checkedIn', { t: hhmm(g.checkedInAt) })}</Tag>
                ) : (
                  <Tag color="orange">{t('notIn')}</Tag>
                )}
              </div>
              <div style={{ fontSize: 13, lineHeight: 1.8 }}>
                {t('expected')} <b>{g.expected}</b> · {t('present')} <b>{g.present + g.late}</b> · {t('leave')} <b>{g.leave}</b> ·{' '}
                <span style={{ color: g.absent ? '#cf1322' : undefined }}>
                  {t('absent')} <b>{g.absent}</b>
                </span>{' '}
                · {t('released')} <b>{g.released}</b> · {t('relayN')} <b>{g.relay}</b>
              </div>
            </Card>
          </Col>
        ))}
      </Row>
      <Modal
        open={!!resolving}
        title={`${t('resolve')}：${resolving?.name ?? ''}`}
        onCancel={() => setResolving(null)}
        onOk={() => resolve.mutate()}
        confirmLoading={resolve.isPending}
      >
        <Radio.Group value={outcome} onChange={(e) => setOutcome(e.target.value)} style={{ marginBottom: 12 }}>
          <Radio.Button value="found">{t('found')}</Radio.Button>
          <Radio.Button value="guardian_confirmed">{t('guardian_confirmed')}</Radio.Button>
          <Radio.Button value="other">{t('other')}</Radio.Button>
        </Radio.Group>
        <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('note')} maxLength={500} />
      </Modal>
    </div>
  );
}
