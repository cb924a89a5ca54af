/**
 * The family side of the release dialog and the roster (modules/afternoon): the homeroom teacher's
 * hand-over notes and approved leave under each pupil's name; in the release dialog the substitute
 * the guardian announced for today (photo, relation, ID last four) and the guardian's pick-up code —
 * scanned with the camera where the browser has BarcodeDetector, or typed (8 digits) always.
 * Both releases are writes of the phone's queue (src/web/offline, like the ordinary release): the key
 * is made at the tap, the pupil shows as collected at once, and without network the release waits on
 * the phone and is sent when it is back. The server checks the pick-up code when the release arrives:
 * a code that has expired by then is refused, and the refusal stays in the banner until read.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Avatar, Button, Input, List, Tag, Toast } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { HANDOVER_KIND_LABELS, type HandoverKind } from '../../../shared/afternoon';
import { get } from '../../api';
import { type Dict, useLocale, useT } from '../../i18n';
import { useQueueState } from '../../offline/hooks';
import type { Outcome } from '../../offline/queue';

const dict: Dict = {
  zh: {
    leave: '请假：{r}',
    substitute: '今日代接：{n}',
    subs: '家长登记的今日临时接送人',
    idLast4: '身份证后四位 {d}',
    code: '家长的接送码',
    codeHint: '扫描家长手机上的二维码，或输入二维码下方的 8 位数字',
    scan: '扫码',
    stopScan: '停止扫码',
    typed: '8 位接送码',
    confirm: '核对并交接',
    done: '已交接给 {who}',
    notes: '班主任交接备注',
    toSubstitute: '{pupil} → {who}（临时接送人）',
    byCode: '{pupil} → 家长（接送码）',
    substituteTo: '{who}（{relation}，临时接送人）',
    codeTo: '家长（接送码，待核对）',
    saved: '已保存在本机，联网后自动同步',
    savedCode: '已保存在本机：联网后核对接送码并同步',
    offlineCode: '离线：接送码要联网后才能核对，请先核对家长身份；码已过期则同步时会提示',
  },
  en: {
    leave: 'On leave: {r}',
    substitute: 'Collected today by: {n}',
    subs: "Today's substitute announced by the guardian",
    idLast4: 'ID ends {d}',
    code: "Guardian's pick-up code",
    codeHint: "Scan the QR code on the guardian's phone, or type the 8 digits under it",
    scan: 'Scan',
    stopScan: 'Stop',
    typed: '8-digit code',
    confirm: 'Check and hand over',
    done: 'Handed to {who}',
    notes: 'Notes from the homeroom teacher',
    toSubstitute: '{pupil} → {who} (substitute)',
    byCode: '{pupil} → guardian (pick-up code)',
    substituteTo: '{who} ({relation}, substitute)',
    codeTo: 'guardian (pick-up code, to be checked)',
    saved: 'Saved on this phone; sent when back online',
    savedCode: 'Saved on this phone: the code is checked when back online',
    offlineCode:
      'Offline: the code can only be checked once back online; check the guardian yourself. An expired code is reported when syncing',
  },
};

interface PupilExtras {
  studentId: string;
  notes: { kind: HandoverKind; text: string }[];
  leaveReason: string | null;
  substitutes: string[];
}

interface Substitute {
  id: string;
  name: string;
  relation: string;
  phone: string;
  photo: string | null;
  idLast4: string | null;
}

/** What the release dialog shows of a pupil today (offline the service worker answers with the last one). */
const releaseInfo = (groupId: string, studentId: string) => ({
  queryKey: ['afternoon-release-info', groupId, studentId],
  networkMode: 'offlineFirst' as const,
  queryFn: () =>
    get<{ substitutes: Substitute[]; notes: { id: string; kind: HandoverKind; text: string }[] }>(
      `/afternoon/groups/${groupId}/pupils/${studentId}/today`,
    ),
});

/**
 * Notes, leave and substitutes of the group's pupils today, by pupil. The release dialog of a pupil
 * with a substitute today is fetched ahead, so that it is on the phone when the network goes.
 */
export function useGroupNotes(groupId: string | undefined) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['afternoon-notes', groupId],
    enabled: !!groupId,
    retry: false,
    networkMode: 'offlineFirst',
    queryFn: () => get<{ pupils: PupilExtras[] }>(`/afternoon/groups/${groupId}/notes`),
  });
  const withSubstitute = (q.data?.pupils ?? [])
    .filter((p) => p.substitutes.length > 0)
    .map((p) => p.studentId)
    .join(',');
  const fetchedAt = q.dataUpdatedAt;
  useEffect(() => {
    if (!groupId || !withSubstitute || !fetchedAt) return;
    for (const id of withSubstitute.split(',')) void qc.prefetchQuery(releaseInfo(groupId, id));
  }, [qc, groupId, withSubstitute, fetchedAt]);
  return new Map((q.data?.pupils ?? []).map((p) => [p.studentId, p]));
}

/** One line under a pupil's name: the hand-over notes, leave and today's substitute (nothing when there is none). */
export function PupilNotes({ info }: { info: PupilExtras | undefined }) {
  const t = useT(dict);
  const { locale } = useLocale();
  if (!info || (info.notes.length === 0 && !info.leaveReason && info.substitutes.length === 0)) return null;
  const lang = locale === 'en' ? 'en' : 'zh';
  return (
    <div style={{ marginTop: 2, display: 'flex', flexWrap: 'wrap', gap: 4 }}>
      {info.leaveReason && <Tag color="primary">{t('leave', { r: info.leaveReason })}</Tag>}
      {info.substitutes.length > 0 && <Tag color="warning">{t('substitute', { n: info.substitutes.join('、') })}</Tag>}
      {info.notes.map((n) => (
        <Tag key={`${n.kind}${n.text}`} color={n.kind === 'medicine' ? 'danger' : 'default'} fill="outline">
          {`${HANDOVER_KIND_LABELS[n.kind][lang]}：${n.text}`}
        </Tag>
      ))}
    </div>
  );
}

/**
 * In the release dialog, below the pick-up list: today's substitutes and the pick-up code. `release`
 * puts the write in the phone's queue (GroupPage: shown at once, sent now or when back online).
 */
export function ReleaseExtras({
  groupId,
  studentId,
  pupilName,
  release,
  onDone,
  onError,
}: {
  groupId: string;
  studentId: string;
  pupilName: string;
  /** `label` names the pupil and the adult (the banner); `to` the adult (the roster until the server answers) */
  release: (path: string, body: unknown, label: string, to: string) => Promise<Outcome>;
  onDone: (out: Outcome) => void;
  onError: (e: Error) => void;
}) {
  const t = useT(dict);
  const { locale } = useLocale();
  const { online } = useQueueState();
  const [code, setCode] = useState('');
  const info = useQuery(releaseInfo(groupId, studentId));
  const done = (out: Outcome, byCode: boolean) => {
    if (out.sent) {
      const who = (out.result as { releasedToName?: string | null } | undefined)?.releasedToName ?? '';
      Toast.show({ icon: 'success', content: t('done', { who }) });
    } else Toast.show({ icon: 'success', content: t(byCode ? 'savedCode' : 'saved'), duration: 3000 });
    onDone(out);
  };
  const toSubstitute = useMutation({
    networkMode: 'always',
    mutationFn: (s: Substitute) =>
      release(
        `/afternoon/groups/${groupId}/release-substitute`,
        { studentId, substituteId: s.id },
        t('toSubstitute', { pupil: pupilName, who: s.name }),
        t('substituteTo', { who: s.name, relation: s.relation }),
      ),
    onSuccess: (out) => done(out, false),
    onError,
  });
  const byCode = useMutation({
    networkMode: 'always',
    mutationFn: (c: string) =>
      release(`/afternoon/groups/${groupId}/release-code`, { studentId, code: c }, t('byCode', { pupil: pupilName }), t('codeTo')),
    onSuccess: (out) => done(out, true),
    onError,
  });
  const lang = locale === 'en' ? 'en' : 'zh';
  return (
    <>
      {info.data && info.data.notes.length > 0 && (
        <List header={t('notes')}>
          {info.data.notes.map((n) => (
            <List.Item
              key={n.id}
              prefix={<Tag color={n.kind === 'medicine' ? 'danger' : 'default'}>{HANDOVER_KIND_LABELS[n.kind][lang]}</Tag>}
            >
              {n.text}
            </List.Item>
          ))}
        </List>
      )}
      {info.data && info.data.substitutes.length > 0 && (
        <List header={t('subs')}>
          {info.data.substitutes.map((s) => (
            <List.Item
              key={s.id}
              prefix={<Avatar src={s.photo ?? ''} style={{ '--size': '56px' }} />}
              description={`${s.relation} · ${s.phone}${s.idLast4 ? ` · ${t('idLast4', { d: s.idLast4 })}` : ''}`}
              onClick={() => toSubstitute.mutate(s)}
              arrowIcon
            >
              <span style={{ fontSize: 18 }}>{s.name}</span>
            </List.Item>
          ))}
        </List>
      )}
      <List header={t('code')}>
        <List.Item
          description={
            <>
              {t('codeHint')}
              {!online && <div style={{ color: '#fa8c16', marginTop: 4 }}>{t('offlineCode')}</div>}
            </>
          }
        >
          <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <Input
              aria-label={t('typed')}
              placeholder={t('typed')}
              inputMode="numeric"
              maxLength={300}
              value={code}
              onChange={setCode}
              style={{ flex: 1, fontSize: 20, letterSpacing: 2 }}
            />
            <Button color="primary" disabled={code.trim().length < 8} loading={byCode.isPending} onClick={() => byCode.mutate(code.trim())}>
              {t('confirm')}
            </Button>
          </div>
          <Scanner onCode={(c) => byCode.mutate(c)} />
        </List.Item>
      </List>
    </>
  );
}

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
const Ctor = (globalThis as unknown as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;

/** The camera, where the browser has BarcodeDetector (Chrome on Android does; where it does not, the typed code is there). */
function Scanner({ onCode }: { onCode: (code: string) => void }) {
  const t = useT(dict);
  const [on, setOn] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const latest = useRef(onCode);
  latest.current = onCode;
  useEffect(() => {
    if (!on || !Ctor) return;
    let stream: MediaStream | null = null;
    let stop = false;
    const detector = new Ctor({ formats: ['qr_code'] });
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        if (!video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        while (!stop && video.current) {
          const found = await detector.detect(video.current).catch(() => []);
          if (found[0]?.rawValue) {
            setOn(false);
            latest.current(found[0].rawValue);
            return;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      } catch (e) {
        Toast.show({ content: (e as Error).message });
        setOn(false);
      }
    })();
    return () => {
      stop = true;
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [on]);
  if (!Ctor) return null;
  return (
    <div style={{ marginTop: 8 }}>
      <Button size="small" onClick={() => setOn((v) => !v)}>
        {on ? t('stopScan') : t('scan')}
      </Button>
      {on && <video ref={video} playsInline muted style={{ width: '100%', marginTop: 8, borderRadius: 8, background: '#000' }} />}
    </div>
  );
}
