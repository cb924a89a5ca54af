/**
 * 交接 for the homeroom teacher (SCREENS.md): my class today — who stays for care and where, the
 * notes to hand over (medicine, early pick-up, substitute today, other) that the care teacher sees
 * on the roster, the substitute adults the guardians announced, and one 已移交 when the line goes.
 * Leave waiting for approval is one tap away.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, ErrorBlock, Form, List, NavBar, Popup, Selector, Skeleton, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { HANDOVER_KIND_LABELS, HANDOVER_KINDS, type HandoverKind } from '../../../shared/afternoon';
import { del, get, post } from '../../api';
import { type Dict, useLocale, useT } from '../../i18n';
import { SLOT_LABELS } from '../leave/days';

const dict: Dict = {
  zh: {
    title: '托管交接',
    noService: '今天没有托管',
    noClass: '您不是任何班级的班主任',
    pupils: '{c} · 今天参加托管 {n} 人',
    none: '本班今天没有学生参加托管',
    handed: '已移交（{t}）',
    hand: '已移交 ({n})',
    addNote: '备注',
    kind: '类别',
    text: '交接内容',
    textPh: '例如：16:00 吃一次退烧药（药在书包侧袋）',
    save: '保存备注',
    saved: '托管老师会在点名名单上看到',
    required: '请填写内容',
    leaveDesk: '请假审批',
    leave: '请假',
    absent: '未到',
    present: '到',
    late: '迟到',
    expected: '',
    sub: '代接：{w}',
  },
  en: {
    title: 'Hand-over',
    noService: 'No care today',
    noClass: 'You are not a homeroom teacher',
    pupils: '{c} · {n} in care today',
    none: 'Nobody of the class is in care today',
    handed: 'Handed over ({t})',
    hand: 'Handed over ({n})',
    addNote: 'Note',
    kind: 'Kind',
    text: 'Note',
    textPh: 'e.g. one fever tablet at 16:00 (side pocket of the bag)',
    save: 'Save note',
    saved: 'The care teacher sees it on the roster',
    required: 'Please write the note',
    leaveDesk: 'Leave to approve',
    leave: 'Leave',
    absent: 'Absent',
    present: 'In',
    late: 'Late',
    expected: '',
    sub: 'Collected by: {w}',
  },
};

interface Pupil {
  studentId: string;
  name: string;
  sessions: { slot: string; offeringName: string; venueName: string | null; teacherName: string | null; status: string }[];
  notes: { id: string; kind: HandoverKind; text: string }[];
  substitutes: { name: string; relation: string; phone: string }[];
}
interface ClassToday {
  id: string;
  name: string;
  handedAt: string | null;
  pupils: Pupil[];
}

const hhmm = (iso: string) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));

export default function HandoverPage() {
  const t = useT(dict);
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [noteFor, setNoteFor] = useState<Pupil | null>(null);
  const data = useQuery({
    queryKey: ['afternoon-handover'],
    queryFn: () => get<{ day: string; reason: string | null; classes: ClassToday[] }>('/afternoon/handover'),
  });
  const pending = useQuery({
    queryKey: ['afternoon-leave-pending'],
    queryFn: () => get<{ items: unknown[] }>('/afternoon/leave?status=pending'),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['afternoon-handover'] });
  const onError = (e: Error) => Toast.show({ content: e.message });
  const hand = useMutation({
    mutationFn: (classId: string) => post(`/afternoon/handover/classes/${classId}/done`),
    onSuccess: refresh,
    onError,
  });
  const remove = useMutation({ mutationFn: (id: string) => del(`/afternoon/handover/notes/${id}`), onSuccess: refresh, onError });
  return (
    <div>
      <NavBar
        backIcon={false}
        right={
          <Button size="small" onClick={() => navigate('/m/leave')}>
            {t('leaveDesk')}
            {pending.data?.items.length ? ` (${pending.data.items.length})` : ''}
          </Button>
        }
      >
        {t('title')}
      </NavBar>
      {data.isLoading && <Skeleton.Paragraph lineCount={8} animated style={{ padding: 12 }} />}
      {data.error && <ErrorBlock status="default" description={(data.error as Error).message} />}
      {data.data?.reason && <ErrorBlock status="empty" description={t('noService')} />}
      {data.data && !data.data.reason && data.data.classes.length === 0 && <ErrorBlock status="empty" description={t('noClass')} />}
      {data.data?.classes.map((c) => (
        <div key={c.id}>
          <List header={t('pupils', { c: c.name, n: c.pupils.length })}>
            {c.pupils.length === 0 && <List.Item>{t('none')}</List.Item>}
            {c.pupils.map((p) => (
              <List.Item
                key={p.studentId}
                description={
                  <div>
                    {p.sessions.map((s) => (
                      <div key={s.slot}>
                        {`${SLOT_LABELS[s.slot]?.[lang] ?? s.slot} · ${s.offeringName}${s.venueName ? ` · ${s.venueName}` : ''}${s.teacherName ? ` · ${s.teacherName}` : ''}`}{' '}
                        {t(s.status) && <Tag fill="outline">{t(s.status)}</Tag>}
                      </div>
                    ))}
                    {p.substitutes.length > 0 && (
                      <Tag color="warning">{t('sub', { w: p.substitutes.map((x) => `${x.relation}${x.name} ${x.phone}`).join('、') })}</Tag>
                    )}
                    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, marginTop: 2 }}>
                      {p.notes.map((n) => (
                        <Tag
                          key={n.id}
                          color={n.kind === 'medicine' ? 'danger' : 'primary'}
                          fill="outline"
                          onClick={() => remove.mutate(n.id)}
                        >
                          {`${HANDOVER_KIND_LABELS[n.kind][lang]}：${n.text} ×`}
                        </Tag>
                      ))}
                    </div>
                  </div>
                }
                extra={
                  <Button size="small" onClick={() => setNoteFor(p)} aria-label={`${p.name} ${t('addNote')}`}>
                    {t('addNote')}
                  </Button>
                }
              >
                <span style={{ fontSize: 17 }}>{p.name}</span>
              </List.Item>
            ))}
          </List>
          {c.pupils.length > 0 && (
            <div style={{ padding: 12 }}>
              {c.handedAt ? (
                <Button block disabled size="large">
                  {t('handed', { t: hhmm(c.handedAt) })}
                </Button>
              ) : (
                <Button block color="primary" size="large" loading={hand.isPending} onClick={() => hand.mutate(c.id)}>
                  {t('hand', { n: c.pupils.filter((p) => p.sessions.some((s) => s.status !== 'leave')).length })}
                </Button>
              )}
            </div>
          )}
        </div>
      ))}
      <Popup visible={!!noteFor} onMaskClick={() => setNoteFor(null)} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12 }}>
        {noteFor && (
          <NoteForm
            pupil={noteFor}
            onDone={() => {
              setNoteFor(null);
              refresh();
            }}
          />
        )}
      </Popup>
    </div>
  );
}

function NoteForm({ pupil, onDone }: { pupil: Pupil; onDone: () => void }) {
  const t = useT(dict);
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  const save = useMutation({
    mutationFn: (v: { kind: HandoverKind[]; text: string }) =>
      post('/afternoon/handover/notes', { studentId: pupil.studentId, kind: v.kind[0], text: v.text }),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('saved') });
      onDone();
    },
    onError: (e) => Toast.show({ content: (e as Error).message }),
  });
  return (
    <Form
      layout="vertical"
      initialValues={{ kind: ['medicine'] }}
      onFinish={(v) => save.mutate(v)}
      footer={
        <Button block type="submit" color="primary" size="large" loading={save.isPending}>
          {t('save')}
        </Button>
      }
    >
      <Form.Header>{pupil.name}</Form.Header>
      <Form.Item name="kind" label={t('kind')}>
        <Selector columns={2} options={HANDOVER_KINDS.map((k) => ({ value: k, label: HANDOVER_KIND_LABELS[k][lang] }))} />
      </Form.Item>
      <Form.Item name="text" label={t('text')} rules={[{ required: true, message: t('required') }]}>
        <TextArea placeholder={t('textPh')} maxLength={300} rows={3} />
      </Form.Item>
    </Form>
  );
}
