/**
 * 我的排班 on a teacher's phone: the coming shifts of the term (after approved swaps), 调班 on any of
 * them (a named colleague; the office approves), and the swaps I asked for or was asked to take.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, CheckList, ErrorBlock, List, NavBar, Popup, SearchBar, Skeleton, Tabs, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { SLOT_LABELS } from '../../../shared/plans';
import { get, post } from '../../api';
import { type Dict, useT } from '../../i18n';
import { type Colleague, currentTerm, type Entry, isoWeekday, type Rota, type Swap, type Term, WD } from './types';

const dict: Dict = {
  zh: {
    title: '我的排班',
    shifts: '我的班次',
    swaps: '调班申请',
    none: '本学期接下来没有您的班次',
    noSwaps: '还没有调班申请',
    swap: '调班',
    duty: '值班领导',
    ask: '请同事接班：{d}',
    colleague: '选择同事',
    search: '搜索姓名',
    barred: '未通过审查，不能接班',
    reason: '理由（可选）',
    send: '提交申请',
    sent: '已提交，等待同事确认和学校审批',
    from: '{a} → {b}',
    accept: '同意接班',
    decline: '拒绝',
    cancel: '撤回',
    swapped: '调入',
    makeup: '调休',
  },
  en: {
    title: 'My rota',
    shifts: 'My shifts',
    swaps: 'Swaps',
    none: 'No more shifts this term',
    noSwaps: 'No swap requests yet',
    swap: 'Swap',
    duty: 'Duty leader',
    ask: 'Ask a colleague to take: {d}',
    colleague: 'Choose a colleague',
    search: 'Search by name',
    barred: 'Not vetted: cannot take shifts',
    reason: 'Reason (optional)',
    send: 'Send request',
    sent: 'Sent: waiting for your colleague and the office',
    from: '{a} → {b}',
    accept: 'Accept',
    decline: 'Decline',
    cancel: 'Withdraw',
    swapped: 'swapped in',
    makeup: 'make-up day',
  },
};

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

function AskPopup({ shift, onClose }: { shift: { day: string; e: Entry } | null; onClose(): void }) {
  const t = useT(dict);
  const qc = useQueryClient();
  const [who, setWho] = useState<string>();
  const [q, setQ] = useState('');
  const [reason, setReason] = useState('');
  const staff = useQuery({ queryKey: ['rota-staff'], queryFn: () => get<{ staff: Colleague[] }>('/rota/staff'), enabled: !!shift });
  const ask = useMutation({
    mutationFn: () => post('/swaps', { colleagueStaffId: who, give: { day: shift?.day, groupId: shift?.e.groupId ?? null }, reason }),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('sent') });
      qc.invalidateQueries({ queryKey: ['swaps'] });
      setWho(undefined);
      setReason('');
      onClose();
    },
    // the server names the clash or the rule (DOUBLE_BOOKED, STAFF_NOT_ELIGIBLE, …)
    onError: (e: Error) => Toast.show({ content: e.message, duration: 4000 }),
  });
  const people = (staff.data?.staff ?? []).filter((s) => !s.me && (!q || s.name.includes(q)));
  return (
    <Popup visible={!!shift} onMaskClick={onClose} bodyStyle={{ height: '80vh', display: 'flex', flexDirection: 'column' }}>
      <div style={{ padding: 12, fontWeight: 600 }}>{shift && t('ask', { d: `${shift.day} ${shift.e.label}` })}</div>
      <SearchBar placeholder={t('search')} value={q} onChange={setQ} style={{ margin: '0 12px' }} />
      <div style={{ flex: 1, overflow: 'auto' }}>
        <CheckList value={who ? [who] : []} onChange={(v) => setWho(v[0] as string | undefined)}>
          {people.map((s) => (
            <CheckList.Item key={s.id} value={s.id} disabled={!s.eligible} description={s.eligible ? (s.campusName ?? '') : t('barred')}>
              {s.name}
            </CheckList.Item>
          ))}
        </CheckList>
      </div>
      <div style={{ padding: 12 }}>
        <TextArea placeholder={t('reason')} value={reason} onChange={setReason} rows={2} maxLength={500} />
        <Button block color="primary" disabled={!who} loading={ask.isPending} onClick={() => ask.mutate()} style={{ marginTop: 8 }}>
          {t('send')}
        </Button>
      </div>
    </Popup>
  );
}

function SwapList() {
  const t = useT(dict);
  const qc = useQueryClient();
  const swaps = useQuery({ queryKey: ['swaps', 'mine'], queryFn: () => get<{ swaps: Swap[] }>('/swaps') });
  const act = useMutation({
    mutationFn: ({ id, what }: { id: string; what: string }) => post(`/swaps/${id}/${what}`),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['swaps'] });
      qc.invalidateQueries({ queryKey: ['my-rota'] });
    },
    onError: (e: Error) => Toast.show({ content: e.message, duration: 4000 }),
  });
  if (swaps.isLoading) return <Skeleton.Paragraph lineCount={4} animated />;
  if (swaps.error) return <ErrorBlock status="default" description={(swaps.error as Error).message} />;
  if (!swaps.data?.swaps.length) return <ErrorBlock status="empty" description={t('noSwaps')} />;
  return (
    <List>
      {swaps.data.swaps.map((s) => (
        <List.Item
          key={s.id}
          description={
            <div>
              {s.legs.map((l) => (
                <div key={l.leg}>
                  {l.day} {WD[isoWeekday(l.day)]} {l.label}
                </div>
              ))}
              {s.decisionNote && <div>{s.decisionNote}</div>}
              <div style={{ marginTop: 6, display: 'flex', gap: 8 }}>
                {s.role === 'colleague' && s.status === 'requested' && (
                  <>
                    <Button size="mini" color="primary" onClick={() => act.mutate({ id: s.id, what: 'accept' })}>
                      {t('accept')}
                    </Button>
                    <Button size="mini" onClick={() => act.mutate({ id: s.id, what: 'decline' })}>
                      {t('decline')}
                    </Button>
                  </>
                )}
                {s.role === 'requester' && (s.status === 'requested' || s.status === 'accepted') && (
                  <Button size="mini" onClick={() => act.mutate({ id: s.id, what: 'cancel' })}>
                    {t('cancel')}
                  </Button>
                )}
              </div>
            </div>
          }
          extra={
            <Tag color={s.status === 'approved' ? 'success' : s.status === 'refused' || s.status === 'declined' ? 'danger' : 'warning'}>
              {s.statusLabel}
            </Tag>
          }
        >
          {t('from', { a: s.requesterName, b: s.colleagueName })}
        </List.Item>
      ))}
    </List>
  );
}

export default function MyRotaPage() {
  const t = useT(dict);
  const [shift, setShift] = useState<{ day: string; e: Entry } | null>(null);
  const terms = useQuery({ queryKey: ['terms'], queryFn: () => get<Term[]>('/terms') });
  const term = terms.data ? currentTerm(terms.data, today()) : undefined;
  const rota = useQuery({
    queryKey: ['my-rota', term?.id],
    enabled: !!term,
    queryFn: () => get<Rota>(`/rota/terms/${term?.id}?from=${today()}`),
  });
  const days = rota.data?.days ?? [];
  return (
    <div>
      <NavBar backIcon={false}>{t('title')}</NavBar>
      <Tabs defaultActiveKey="shifts">
        <Tabs.Tab title={t('shifts')} key="shifts">
          {(terms.isLoading || rota.isLoading) && <Skeleton.Paragraph lineCount={6} animated />}
          {rota.error && <ErrorBlock status="default" description={(rota.error as Error).message} />}
          {rota.data && !days.length && <ErrorBlock status="empty" description={t('none')} />}
          {days.slice(0, 60).map((d) => (
            <List key={d.date} header={`${d.date} ${WD[isoWeekday(d.date)]}${d.makeup ? `（${t('makeup')}）` : ''}`}>
              {d.entries.map((e) => (
                <List.Item
                  key={`${e.groupId ?? 'duty'}`}
                  description={`${SLOT_LABELS[e.slot]} ${e.time}${e.venueName ? ` · ${e.venueName}` : ''}`}
                  extra={
                    <Button size="mini" onClick={() => setShift({ day: d.date, e })}>
                      {t('swap')}
                    </Button>
                  }
                >
                  {e.groupId ? `${e.campusName} ${e.label}` : t('duty')}
                  {e.swapped && (
                    <Tag color="warning" style={{ marginLeft: 6 }}>
                      {t('swapped')}
                    </Tag>
                  )}
                </List.Item>
              ))}
            </List>
          ))}
        </Tabs.Tab>
        <Tabs.Tab title={t('swaps')} key="swaps">
          <SwapList />
        </Tabs.Tab>
      </Tabs>
      <AskPopup shift={shift} onClose={() => setShift(null)} />
    </div>
  );
}
