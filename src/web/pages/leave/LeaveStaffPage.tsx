/**
 * The homeroom teacher's (or office's) leave desk on the phone: requests waiting for approval first
 * (批准 / 不批准, the guardian is told), then the rest; and 登记电话请假 — after the cut-off a
 * guardian calls, the teacher finds the pupil and records the leave, which takes effect at once.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Dialog,
  ErrorBlock,
  Form,
  List,
  NavBar,
  Popup,
  SearchBar,
  Selector,
  Skeleton,
  Stepper,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { LEAVE_STATUS_LABELS, type LeaveStatus } from '../../../shared/afternoon';
import { get, type Page, post, qs } from '../../api';
import { type Dict, useLocale, useT } from '../../i18n';
import { useMe } from '../../auth';
import { accessOf } from '../../access';
import { addDays, dayLabel, nextDays, SLOT_LABELS } from './days';
import { LeaveSettings } from './LeaveSettings';

const dict: Dict = {
  zh: {
    title: '请假',
    record: '登记电话请假',
    pending: '待审批',
    others: '其他请假',
    none: '没有请假记录',
    approve: '批准',
    refuse: '不批准',
    refuseNote: '不批准的原因（家长会看到）',
    revoke: '撤销',
    byCall: '电话登记',
    findPupil: '搜索本班学生姓名',
    from: '从哪天起',
    days: '共几天',
    slots: '请哪些托管',
    reason: '家长说的原因',
    save: '登记（立即生效）',
    saved: '已登记，家长会收到通知',
    required: '请填写原因',
    office: '本校请假由学校办公室审批',
    rules: '请假规则',
  },
  en: {
    title: 'Leave',
    record: 'Record a phone call',
    pending: 'Waiting for approval',
    others: 'Other leave',
    none: 'No leave',
    approve: 'Approve',
    refuse: 'Refuse',
    refuseNote: 'Why (the guardian sees this)',
    revoke: 'Revoke',
    byCall: 'by phone',
    findPupil: "Search your class's pupils",
    from: 'First day',
    days: 'Days',
    slots: 'Sessions',
    reason: 'Reason given',
    save: 'Record (takes effect now)',
    saved: 'Recorded; the guardian is told',
    required: 'Please give the reason',
    office: 'The school office approves leave here',
    rules: 'Leave rules',
  },
};

interface Leave {
  id: string;
  studentName: string;
  className: string;
  fromDay: string;
  toDay: string;
  slots: string[];
  reason: string;
  source: 'app' | 'call';
  status: LeaveStatus;
  requestedBy: string;
}
const COLOR: Record<LeaveStatus, string> = { pending: 'warning', approved: 'success', refused: 'danger', cancelled: 'default' };

export default function LeaveStaffPage() {
  const t = useT(dict);
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [recording, setRecording] = useState(false);
  const [rules, setRules] = useState(false);
  const canSet = accessOf(useMe().data).has('school.write');
  const list = useQuery({
    queryKey: ['afternoon-leave-desk'],
    queryFn: () => get<{ items: Leave[]; canApprove: boolean; approver: string }>('/afternoon/leave'),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['afternoon-leave-desk'] });
  const onError = (e: Error) => Toast.show({ content: e.message, duration: 3000 });
  const decide = useMutation({
    mutationFn: (v: { id: string; approve: boolean; note?: string }) =>
      post(`/afternoon/leave/${v.id}/decide`, { approve: v.approve, note: v.note ?? '' }),
    onSuccess: refresh,
    onError,
  });
  const revoke = useMutation({ mutationFn: (id: string) => post(`/afternoon/leave/${id}/revoke`), onSuccess: refresh, onError });
  const items = list.data?.items ?? [];
  const row = (l: Leave) => (
    <List.Item
      key={l.id}
      description={`${l.className} · ${l.slots.map((s) => SLOT_LABELS[s]?.[lang] ?? s).join('、')} · ${l.reason}${l.source === 'call' ? ` · ${t('byCall')}` : ''}`}
      extra={<Tag color={COLOR[l.status]}>{LEAVE_STATUS_LABELS[l.status]}</Tag>}
    >
      <div style={{ fontSize: 17 }}>
        {l.studentName} ·{' '}
        {l.fromDay === l.toDay ? dayLabel(l.fromDay, locale) : `${dayLabel(l.fromDay, locale)} – ${dayLabel(l.toDay, locale)}`}
      </div>
      {l.status === 'pending' && list.data?.canApprove && (
        <div style={{ display: 'flex', gap: 8, marginTop: 6 }}>
          <Button size="small" color="success" onClick={() => decide.mutate({ id: l.id, approve: true })}>
            {t('approve')}
          </Button>
          <Button
            size="small"
            color="danger"
            fill="outline"
            onClick={async () => {
              let note = '';
              const ok = await Dialog.confirm({
                title: t('refuse'),
                content: <TextArea placeholder={t('refuseNote')} maxLength={200} onChange={(v) => (note = v)} />,
              });
              if (ok) decide.mutate({ id: l.id, approve: false, note });
            }}
          >
            {t('refuse')}
          </Button>
        </div>
      )}
      {l.status === 'approved' && (
        <Button size="mini" style={{ marginTop: 6 }} onClick={() => revoke.mutate(l.id)}>
          {t('revoke')}
        </Button>
      )}
    </List.Item>
  );
  return (
    <div>
      <NavBar
        onBack={() => navigate(-1)}
        right={
          <Button size="small" color="primary" onClick={() => setRecording(true)}>
            {t('record')}
          </Button>
        }
      >
        {t('title')}
      </NavBar>
      {list.data && !list.data.canApprove && list.data.approver === 'office' && (
        <div style={{ padding: '8px 16px', color: '#888', fontSize: 13 }}>{t('office')}</div>
      )}
      {canSet && (
        <div style={{ padding: '8px 12px' }}>
          <Button size="small" onClick={() => setRules(true)}>
            {t('rules')}
          </Button>
        </div>
      )}
      {list.isLoading && <Skeleton.Paragraph lineCount={6} animated style={{ padding: 12 }} />}
      {list.error && <ErrorBlock status="default" description={(list.error as Error).message} />}
      {list.data && items.length === 0 && <ErrorBlock status="empty" description={t('none')} />}
      {items.some((l) => l.status === 'pending') && (
        <List header={t('pending')}>{items.filter((l) => l.status === 'pending').map(row)}</List>
      )}
      {items.some((l) => l.status !== 'pending') && (
        <List header={t('others')}>{items.filter((l) => l.status !== 'pending').map(row)}</List>
      )}
      <Popup visible={rules} onMaskClick={() => setRules(false)} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12 }}>
        {rules && <LeaveSettings onDone={() => setRules(false)} />}
      </Popup>
      <Popup
        visible={recording}
        onMaskClick={() => setRecording(false)}
        bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: '90vh', overflowY: 'auto' }}
      >
        {recording && (
          <RecordCall
            onDone={() => {
              setRecording(false);
              refresh();
            }}
          />
        )}
      </Popup>
    </div>
  );
}

function RecordCall({ onDone }: { onDone: () => void }) {
  const t = useT(dict);
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  const [q, setQ] = useState('');
  const [pupil, setPupil] = useState<{ id: string; name: string } | null>(null);
  const found = useQuery({
    queryKey: ['leave-pupils', q],
    queryFn: () => get<Page<{ id: string; name: string; className: string }>>(`/students${qs({ q, pageSize: 8 })}`),
  });
  const save = useMutation({
    mutationFn: (v: { fromDay: string[]; days: number; slots: string[]; reason: string }) =>
      post('/afternoon/leave/calls', {
        studentId: pupil?.id,
        fromDay: v.fromDay[0],
        toDay: addDays(v.fromDay[0], (v.days ?? 1) - 1),
        slots: v.slots,
        reason: v.reason,
      }),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('saved') });
      onDone();
    },
    onError: (e) => Toast.show({ content: (e as Error).message }),
  });
  const days = nextDays(8, locale);
  return (
    <div style={{ padding: '12px 0' }}>
      <div style={{ padding: '0 16px', fontSize: 17, fontWeight: 600 }}>{t('record')}</div>
      {!pupil && (
        <>
          <div style={{ padding: 12 }}>
            <SearchBar placeholder={t('findPupil')} onSearch={setQ} onClear={() => setQ('')} />
          </div>
          <List>
            {found.data?.items.map((p) => (
              <List.Item key={p.id} onClick={() => setPupil(p)} description={p.className} arrowIcon>
                {p.name}
              </List.Item>
            ))}
          </List>
        </>
      )}
      {pupil && (
        <Form
          layout="vertical"
          initialValues={{ fromDay: [days[0].value], days: 1, slots: ['afternoon'] }}
          onFinish={(v) => save.mutate(v)}
          footer={
            <Button block type="submit" color="primary" size="large" loading={save.isPending}>
              {t('save')}
            </Button>
          }
        >
          <Form.Header>
            {pupil.name}{' '}
            <Button size="mini" onClick={() => setPupil(null)}>
              ×
            </Button>
          </Form.Header>
          <Form.Item name="fromDay" label={t('from')}>
            <Selector columns={2} options={days} />
          </Form.Item>
          <Form.Item name="days" label={t('days')}>
            <Stepper min={1} max={31} />
          </Form.Item>
          <Form.Item name="slots" label={t('slots')}>
            <Selector multiple columns={2} options={Object.entries(SLOT_LABELS).map(([value, l]) => ({ value, label: l[lang] }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('reason')} rules={[{ required: true, message: t('required') }]}>
            <TextArea maxLength={200} rows={2} />
          </Form.Item>
        </Form>
      )}
    </div>
  );
}
