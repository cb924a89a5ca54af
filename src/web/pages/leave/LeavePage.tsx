/**
 * The guardian asks for leave (请假) on the phone: the first day as a chip (today and the next
 * days), how many days, which sessions, a reason. After the school's cut-off the server refuses
 * (LEAVE_CUTOFF) and the page says to call the homeroom teacher, who records the call. Below: the
 * child's leave with its status; pending or approved leave can be cancelled.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, ErrorBlock, Form, List, NavBar, Selector, Skeleton, Stepper, Tag, TextArea, Toast } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router-dom';
import { LEAVE_STATUS_LABELS, type LeaveStatus } from '../../../shared/afternoon';
import { ApiError, get, post } from '../../api';
import { type Dict, useLocale, useT } from '../../i18n';
import { addDays, dayLabel, nextDays, SLOT_LABELS } from './days';

const dict: Dict = {
  zh: {
    title: '请假',
    from: '从哪天起',
    days: '共几天',
    slots: '请哪些托管',
    reason: '原因',
    reasonPh: '例如：看病、家中有事',
    submit: '提交请假',
    sent: '已提交，等待老师审批',
    approvedNow: '请假已生效',
    cutoffTitle: '已过请假截止时间',
    history: '请假记录',
    none: '还没有请假记录',
    cancel: '撤销',
    cancelConfirm: '撤销这条请假？孩子将按时参加托管。',
    cancelled: '已撤销',
    rule: '请在 {rule} 之前提交；之后请直接打电话给班主任。',
    ruleTime: '当天 {t}',
    ruleHours: '托管开始前 {h} 小时',
    byCall: '电话登记',
    required: '请填写原因',
  },
  en: {
    title: 'Leave',
    from: 'First day',
    days: 'Days',
    slots: 'Sessions',
    reason: 'Reason',
    reasonPh: 'e.g. doctor, family matter',
    submit: 'Ask for leave',
    sent: 'Sent; waiting for approval',
    approvedNow: 'Leave approved',
    cutoffTitle: 'Too late to ask in the app',
    history: 'Leave so far',
    none: 'No leave yet',
    cancel: 'Cancel',
    cancelConfirm: 'Cancel this leave? Your child will attend as usual.',
    cancelled: 'Cancelled',
    rule: 'Ask before {rule}; after that, call the homeroom teacher.',
    ruleTime: '{t} on the day',
    ruleHours: '{h} hours before the session starts',
    byCall: 'by phone',
    required: 'Please give a reason',
  },
};

interface Leave {
  id: string;
  fromDay: string;
  toDay: string;
  slots: string[];
  reason: string;
  source: 'app' | 'call';
  status: LeaveStatus;
  decisionNote: string;
}

const STATUS_COLOR: Record<LeaveStatus, string> = { pending: 'warning', approved: 'success', refused: 'danger', cancelled: 'default' };
const STATUS_EN: Record<LeaveStatus, string> = { pending: 'Pending', approved: 'Approved', refused: 'Refused', cancelled: 'Cancelled' };

export default function LeavePage() {
  const t = useT(dict);
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  const { studentId } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const key = ['afternoon-leave', studentId];
  const list = useQuery({
    queryKey: key,
    queryFn: () => get<{ items: Leave[]; cutoff: { mode: string; time: string; hours: number } }>(`/afternoon/children/${studentId}/leave`),
  });
  const done = () => {
    qc.invalidateQueries({ queryKey: key });
    qc.invalidateQueries({ queryKey: ['afternoon-today', studentId] });
  };
  const ask = useMutation({
    mutationFn: (v: { fromDay: string[]; days: number; slots: string[]; reason: string }) =>
      post<{ status: string }>(`/afternoon/children/${studentId}/leave`, {
        fromDay: v.fromDay[0],
        toDay: addDays(v.fromDay[0], (v.days ?? 1) - 1),
        slots: v.slots,
        reason: v.reason,
      }),
    onSuccess: (out) => {
      Toast.show({ icon: 'success', content: out.status === 'approved' ? t('approvedNow') : t('sent') });
      form.setFieldValue('reason', '');
      done();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'LEAVE_CUTOFF') Dialog.alert({ title: t('cutoffTitle'), content: e.message });
      else Toast.show({ content: (e as Error).message });
    },
  });
  const cancel = useMutation({
    mutationFn: (id: string) => post(`/afternoon/leave/${id}/cancel`),
    onSuccess: () => {
      Toast.show({ content: t('cancelled') });
      done();
    },
    onError: (e) => Toast.show({ content: (e as Error).message }),
  });
  const c = list.data?.cutoff;
  const rule = c ? (c.mode === 'time' ? t('ruleTime', { t: c.time }) : t('ruleHours', { h: c.hours })) : '';
  const days = nextDays(8, locale);
  return (
    <div>
      <NavBar onBack={() => navigate('/m/family')}>{t('title')}</NavBar>
      {c && <div style={{ padding: '8px 16px', color: '#888', fontSize: 13 }}>{t('rule', { rule })}</div>}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ fromDay: [days[1].value], days: 1, slots: ['afternoon'] }}
        onFinish={(v) => ask.mutate(v)}
        footer={
          <Button block type="submit" color="primary" size="large" loading={ask.isPending}>
            {t('submit')}
          </Button>
        }
      >
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
          <TextArea placeholder={t('reasonPh')} maxLength={200} rows={2} />
        </Form.Item>
      </Form>
      {list.isLoading && <Skeleton.Paragraph lineCount={4} animated style={{ padding: 12 }} />}
      {list.error && <ErrorBlock status="default" description={(list.error as Error).message} />}
      {list.data && (
        <List header={t('history')}>
          {list.data.items.length === 0 && <List.Item>{t('none')}</List.Item>}
          {list.data.items.map((l) => (
            <List.Item
              key={l.id}
              description={`${l.slots.map((s) => SLOT_LABELS[s]?.[lang] ?? s).join('、')} · ${l.reason}${l.source === 'call' ? ` · ${t('byCall')}` : ''}${l.decisionNote ? ` · ${l.decisionNote}` : ''}`}
              extra={
                l.status === 'pending' || l.status === 'approved' ? (
                  <Button
                    size="mini"
                    onClick={async () => {
                      if (await Dialog.confirm({ content: t('cancelConfirm') })) cancel.mutate(l.id);
                    }}
                  >
                    {t('cancel')}
                  </Button>
                ) : undefined
              }
            >
              {l.fromDay === l.toDay ? dayLabel(l.fromDay, locale) : `${dayLabel(l.fromDay, locale)} – ${dayLabel(l.toDay, locale)}`}{' '}
              <Tag color={STATUS_COLOR[l.status]}>{lang === 'en' ? STATUS_EN[l.status] : LEAVE_STATUS_LABELS[l.status]}</Tag>
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}
