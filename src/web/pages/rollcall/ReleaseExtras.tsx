/**
 * The family side of the release dialog and the roster (modules/afternoon): the homeroom teacher's
 * hand-over notes and approved leave under each pupil's name; in the release dialog the substitute
 * the guardian announced for today (photo, relation, ID last four) and the guardian's pick-up code —
 * scanned with the camera where the browser has BarcodeDetector, or typed (8 digits) always.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Avatar, Button, Input, List, Tag, Toast } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { HANDOVER_KIND_LABELS, type HandoverKind } from '../../../shared/afternoon';
import { api, get } from '../../api';
import { type Dict, useLocale, useT } from '../../i18n';
import { idemKey } from './types';

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
  },
};

interface PupilExtras {
  studentId: string;
  notes: { kind: HandoverKind; text: string }[];
  leaveReason: string | null;
  substitutes: string[];
}

/** Notes, leave and substitutes of the group's pupils today, by pupil. */
export function useGroupNotes(groupId: string | undefined) {
  const q = useQuery({
    queryKey: ['afternoon-notes', groupId],
    enabled: !!groupId,
    retry: false,
    queryFn: () => get<{ pupils: PupilExtras[] }>(`/afternoon/groups/${groupId}/notes`),
  });
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

interface Substitute {
  id: string;
  name: string;
  relation: string;
  phone: string;
  photo: string | null;
  idLast4: string | null;
}

/** In the release dialog, below the pick-up list: today's substitutes and the pick-up code. */
export function ReleaseExtras({ groupId, studentId, onDone }: { groupId: string; studentId: string; onDone: () => void }) {
  const t = useT(dict);
  const { locale } = useLocale();
  const [code, setCode] = useState('');
  const info = useQuery({
    queryKey: ['afternoon-release-info', groupId, studentId],
    queryFn: () =>
      get<{ substitutes: Substitute[]; notes: { id: string; kind: HandoverKind; text: string }[] }>(
        `/afternoon/groups/${groupId}/pupils/${studentId}/today`,
      ),
  });
  const done = (out: { releasedToName: string | null }) => {
    Toast.show({ icon: 'success', content: t('done', { who: out.releasedToName ?? '' }) });
    onDone();
  };
  const fail = (e: Error) => Toast.show({ content: e.message, duration: 3500 });
  const toSubstitute = useMutation({
    mutationFn: (substituteId: string) =>
      api<{ releasedToName: string | null }>(
        'POST',
        `/afternoon/groups/${groupId}/release-substitute`,
        { studentId, substituteId },
        { headers: { 'idempotency-key': idemKey() } },
      ),
    onSuccess: done,
    onError: fail,
  });
  const byCode = useMutation({
    mutationFn: (c: string) =>
      api<{ releasedToName: string | null }>(
        'POST',
        `/afternoon/groups/${groupId}/release-code`,
        { studentId, code: c },
        { headers: { 'idempotency-key': idemKey() } },
      ),
    onSuccess: done,
    onError: fail,
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
              onClick={() => toSubstitute.mutate(s.id)}
              arrowIcon
            >
              <span style={{ fontSize: 18 }}>{s.name}</span>
            </List.Item>
          ))}
        </List>
      )}
      <List header={t('code')}>
        <List.Item description={t('codeHint')}>
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
