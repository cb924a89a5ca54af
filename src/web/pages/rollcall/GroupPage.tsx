/**
 * One group's afternoon on a phone: the roll call (one tap cycles 到 → 迟到 → 请假 → 未到, 全部到 at the
 * top, saved at once with an idempotency key), then the release list (tap a pupil, pick an adult
 * allowed today, done; released pupils drop to the bottom in grey) and 移交值班 (n) at the end.
 * Every write, the release to a substitute or by pick-up code included, goes through the phone's
 * write queue (src/web/offline), so it works without network and is sent when the network is back.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Avatar, Button, Dialog, ErrorBlock, List, NavBar, Popup, Skeleton, Tabs, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { get } from '../../api';
import { type Dict, useT } from '../../i18n';
import { OfflineBanner } from '../../offline/Banner';
import { useGroupPending } from '../../offline/hooks';
import { applyPending } from '../../offline/overlay';
import { type Outcome, onSynced, type QueuedWrite, submit } from '../../offline/queue';
import { PupilNotes, ReleaseExtras, useGroupNotes } from './ReleaseExtras';
import { type Adult, hhmm, type RosterPupil } from './types';

const dict: Dict = {
  zh: {
    title: '点名与交接',
    roll: '点名',
    release: '交接',
    allPresent: '全部到',
    expected: '未点',
    present: '到',
    late: '迟到',
    leave: '请假',
    absent: '未到',
    relay: '已移交值班',
    released: '{t} 由 {who} 接走',
    toRelay: '移交值班 ({n})',
    relayConfirm: '把 {n} 名未接走的学生移交值班领导（接力托管）？',
    pick: '今天可接 {name} 的人',
    alone: '独自离校（家长书面同意）',
    noAdults: '没有今天有效的授权接送人，请联系值班领导',
    done: '已交接',
    savedOffline: '已保存在本机，联网后自动同步',
    caseOpen: '已通知班主任和家长',
    counts: '应到 {n} · 到 {p} · 迟到 {l} · 请假 {v} · 未到 {a} · 已接 {r}',
  },
  en: {
    title: 'Roll call & hand-over',
    roll: 'Roll call',
    release: 'Hand-over',
    allPresent: 'All present',
    expected: '—',
    present: 'In',
    late: 'Late',
    leave: 'Leave',
    absent: 'Absent',
    relay: 'With duty',
    released: '{t} collected by {who}',
    toRelay: 'To duty ({n})',
    relayConfirm: 'Hand {n} uncollected pupils to the duty leader?',
    pick: 'Who may collect {name} today',
    alone: 'Goes home alone (written permission)',
    noAdults: 'No authorised adult valid today; call the duty leader',
    done: 'Handed over',
    savedOffline: 'Saved on this phone; sent when back online',
    caseOpen: 'Homeroom teacher and guardians told',
    counts: '{n} expected · {p} in · {l} late · {v} leave · {a} absent · {r} collected',
  },
};

const NEXT: Record<RosterPupil['status'], RosterPupil['status']> = {
  expected: 'present',
  present: 'late',
  late: 'leave',
  leave: 'absent',
  absent: 'present',
};
const COLOR: Record<RosterPupil['status'], string> = {
  expected: '#d9d9d9',
  present: '#52c41a',
  late: '#faad14',
  leave: '#1677ff',
  absent: '#ff4d4f',
};

export default function GroupPage() {
  const t = useT(dict);
  const { groupId } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [tab, setTab] = useState('roll');
  const [picking, setPicking] = useState<RosterPupil | null>(null);
  const key = ['daily-roster', groupId];
  const roster = useQuery({
    queryKey: key,
    // offline, the service worker answers with the last roster it saw
    networkMode: 'offlineFirst',
    queryFn: () => get<{ day: string; pupils: RosterPupil[] }>(`/daily/groups/${groupId}/roster`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const onError = (e: Error) => {
    Toast.show({ content: e.message, duration: 3000 });
    refresh();
  };
  // Every write goes through the phone's queue (src/web/offline): key made at the tap, shown at once,
  // sent now or when the network is back; a replay is a no-op on the server.
  const pending = useGroupPending(groupId);
  const rosterKey = JSON.stringify(key);
  // refetch this group's roster whenever the queue has sent writes
  useEffect(() => onSynced(() => void qc.invalidateQueries({ queryKey: JSON.parse(rosterKey) })), [qc, rosterKey]);
  /** `path` is the API path after /api: the daily writes, and the afternoon's releases (substitute, pick-up code) */
  const submitWrite = (kind: QueuedWrite['kind'], path: string, body: unknown, label: string, to?: string) => {
    const w = { kind, url: path, body, label, to, groupId: groupId as string, at: Date.now() };
    qc.setQueryData<{ day: string; pupils: RosterPupil[] }>(key, (old) => (old ? { ...old, pupils: applyPending(old.pupils, [w]) } : old));
    return submit(w);
  };
  const write = (kind: QueuedWrite['kind'], url: string, body: unknown, label: string) =>
    submitWrite(kind, `/daily/groups/${groupId}${url}`, body, label);
  /** a release made (sent, or saved on the phone): the dialog closes; a sent one refetches the roster */
  const released = (out: Outcome) => {
    setPicking(null);
    if (out.sent) refresh();
  };
  const nameOf = (id: string) => roster.data?.pupils.find((p) => p.studentId === id)?.name ?? '';
  const markOne = useMutation({
    networkMode: 'always',
    mutationFn: (m: { studentId: string; status: RosterPupil['status'] }) =>
      write('mark', '/attendance', { marks: [m] }, `${nameOf(m.studentId)} ${t(m.status)}`),
    onError,
  });
  const allPresent = useMutation({
    networkMode: 'always',
    mutationFn: () => write('all-present', '/all-present', {}, t('allPresent')),
    onError,
  });
  const relay = useMutation({ networkMode: 'always', mutationFn: () => write('relay', '/relay', {}, t('toRelay', { n: '' })), onError });
  const adults = useQuery({
    queryKey: ['daily-pickups', groupId, picking?.studentId],
    enabled: !!picking,
    networkMode: 'offlineFirst',
    queryFn: () => get<{ adults: Adult[]; goHomeAlone: boolean }>(`/daily/groups/${groupId}/pupils/${picking?.studentId}/pickups`),
  });
  const release = useMutation({
    networkMode: 'always',
    mutationFn: (to: { pickupPersonId?: string; alone?: boolean }) => {
      const who = to.alone ? t('alone') : (adults.data?.adults.find((a) => a.id === to.pickupPersonId)?.name ?? '');
      return submitWrite(
        'release',
        `/daily/groups/${groupId}/release`,
        { studentId: picking?.studentId, ...to },
        `${picking?.name ?? ''} → ${who}`,
        who,
      );
    },
    onSuccess: (out) => {
      Toast.show({ icon: 'success', content: out.sent ? t('done') : t('savedOffline') });
      released(out);
    },
    onError,
  });

  // hand-over notes, leave and today's substitutes under each name (modules/afternoon)
  const extras = useGroupNotes(groupId);
  const pupils = applyPending(roster.data?.pupils ?? [], pending);
  const count = (s: string) => pupils.filter((p) => p.status === s).length;
  const waiting = pupils.filter((p) => (p.status === 'present' || p.status === 'late') && p.handover === 'none');
  const releaseOrder = [...pupils].sort((a, b) => rank(a) - rank(b));

  return (
    <div>
      <NavBar onBack={() => navigate('/m/rollcall')}>{t('title')}</NavBar>
      <OfflineBanner />
      {roster.isLoading && <Skeleton.Paragraph lineCount={10} animated style={{ padding: 12 }} />}
      {roster.error && <ErrorBlock status="default" description={(roster.error as Error).message} />}
      {roster.data && (
        <>
          <div style={{ padding: '8px 12px', color: '#666', fontSize: 13 }}>
            {t('counts', {
              n: pupils.length,
              p: count('present'),
              l: count('late'),
              v: count('leave'),
              a: count('absent'),
              r: pupils.filter((p) => p.handover === 'released').length,
            })}
          </div>
          <Tabs activeKey={tab} onChange={setTab}>
            <Tabs.Tab title={t('roll')} key="roll" />
            <Tabs.Tab title={t('release')} key="release" />
          </Tabs>
          {tab === 'roll' && (
            <>
              <div style={{ padding: 12 }}>
                <Button block color="success" size="large" loading={allPresent.isPending} onClick={() => allPresent.mutate()}>
                  {t('allPresent')}
                </Button>
              </div>
              <List>
                {pupils.map((p) => (
                  <List.Item
                    key={p.studentId}
                    description={
                      <>
                        {p.caseOpen ? <span style={{ color: '#ff4d4f' }}>{t('caseOpen')}</span> : p.className}
                        <PupilNotes info={extras.get(p.studentId)} />
                      </>
                    }
                    extra={
                      <button
                        type="button"
                        aria-label={`${p.name} ${t(p.status)}`}
                        disabled={p.handover !== 'none'}
                        onClick={() => markOne.mutate({ studentId: p.studentId, status: NEXT[p.status] })}
                        style={{
                          minWidth: 84,
                          minHeight: 48,
                          borderRadius: 24,
                          border: 'none',
                          fontSize: 18,
                          fontWeight: 600,
                          color: p.status === 'expected' ? '#333' : '#fff',
                          background: COLOR[p.status],
                          opacity: p.handover !== 'none' ? 0.5 : 1,
                        }}
                      >
                        {p.handover === 'none' ? t(p.status) : t(p.handover === 'relay' ? 'relay' : 'done')}
                      </button>
                    }
                  >
                    <span style={{ fontSize: 18 }}>{p.name}</span>
                  </List.Item>
                ))}
              </List>
            </>
          )}
          {tab === 'release' && (
            <>
              <List>
                {releaseOrder.map((p) => {
                  const gone = p.handover === 'released';
                  const canPick = (p.status === 'present' || p.status === 'late') && !gone;
                  return (
                    <List.Item
                      key={p.studentId}
                      onClick={canPick ? () => setPicking(p) : undefined}
                      arrowIcon={canPick}
                      style={{ color: gone ? '#aaa' : undefined, background: gone ? '#fafafa' : undefined, minHeight: 56 }}
                      description={
                        gone ? (
                          t('released', { t: hhmm(p.releasedAt), who: p.releasedToName ?? '' })
                        ) : (
                          <>
                            {p.handover === 'relay' ? t('relay') : p.className}
                            <PupilNotes info={extras.get(p.studentId)} />
                          </>
                        )
                      }
                      extra={!canPick && !gone ? <Tag color={COLOR[p.status]}>{t(p.status)}</Tag> : undefined}
                    >
                      <span style={{ fontSize: 18 }}>{p.name}</span>
                    </List.Item>
                  );
                })}
              </List>
              <div style={{ padding: 12 }}>
                <Button
                  block
                  color="warning"
                  size="large"
                  disabled={waiting.length === 0}
                  loading={relay.isPending}
                  onClick={async () => {
                    if (await Dialog.confirm({ content: t('relayConfirm', { n: waiting.length }) })) relay.mutate();
                  }}
                >
                  {t('toRelay', { n: waiting.length })}
                </Button>
              </div>
            </>
          )}
        </>
      )}
      <Popup
        visible={!!picking}
        onMaskClick={() => setPicking(null)}
        bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, minHeight: '40vh', maxHeight: '85vh', overflowY: 'auto' }}
      >
        <div style={{ padding: 16, fontSize: 17, fontWeight: 600 }}>{t('pick', { name: picking?.name ?? '' })}</div>
        {adults.isLoading && <Skeleton.Paragraph lineCount={3} animated style={{ padding: 12 }} />}
        <List>
          {adults.data?.adults.map((a) => (
            <List.Item
              key={a.id}
              prefix={<Avatar src={a.photo ?? ''} style={{ '--size': '56px' }} />}
              description={`${a.relation} · ${a.phone}${a.validTo ? ` · 仅 ${a.validFrom ?? ''}–${a.validTo}` : ''}`}
              onClick={() => release.mutate({ pickupPersonId: a.id })}
              arrowIcon
            >
              <span style={{ fontSize: 18 }}>{a.name}</span>
            </List.Item>
          ))}
          {adults.data?.goHomeAlone && (
            <List.Item onClick={() => release.mutate({ alone: true })} arrowIcon>
              {t('alone')}
            </List.Item>
          )}
        </List>
        {adults.data && adults.data.adults.length === 0 && !adults.data.goHomeAlone && (
          <ErrorBlock status="empty" description={t('noAdults')} />
        )}
        {picking && groupId && (
          <ReleaseExtras
            groupId={groupId}
            studentId={picking.studentId}
            pupilName={picking.name}
            release={(path, body, label, to) => submitWrite('release', path, body, label, to)}
            onDone={released}
            onError={onError}
          />
        )}
      </Popup>
    </div>
  );
}

/** waiting to be collected first, then relay, absent/leave, and the collected at the bottom */
function rank(p: RosterPupil) {
  if (p.handover === 'released') return 4;
  if (p.handover === 'relay') return 2;
  if (p.status === 'present' || p.status === 'late') return 0;
  if (p.status === 'expected') return 1;
  return 3;
}
