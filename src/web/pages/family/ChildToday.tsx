/**
 * Today on the guardian's child card (SCREENS.md): one line in a parent's words — expected in a
 * group at a venue, in care, on leave, absent (call the school), in relay care with the duty leader,
 * or "17:32 已由奶奶接走" with a one-tap confirmation — and the big buttons 请假, 接孩子 (today's
 * pick-up code as a QR code with 8 digits to type, refreshed before it expires) and 临时接送人.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Popup, Skeleton, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { renderSVG } from 'uqr';
import { get, post } from '../../api';
import { type Dict, useLocale, useT } from '../../i18n';

const dict: Dict = {
  zh: {
    noService: '今天没有托管',
    notToday: '今天没有托管安排',
    expected: '今天 {slot} · {what}',
    present: '在托管 · {what}',
    late: '在托管（迟到） · {what}',
    leave: '今天请假',
    leavePending: '请假待审批',
    absent: '老师已点名：未到 — 请立即联系班主任',
    relay: '在值班室由值班老师照看（接力托管），请尽快来接',
    released: '{t} 已由 {who} 接走',
    confirmed: '您已确认接到孩子',
    confirm: '确认已接到孩子',
    substitute: '今日代接：{who}',
    askLeave: '请假',
    pickup: '接孩子',
    substitutes: '临时接送人',
    codeTitle: '{name} 今天的接送码',
    codeHint: '到校门口请老师扫描二维码，或念出下面的 8 位数字',
    refresh: '约每分钟自动刷新 · {t} 前有效',
    confirmedToast: '已确认，谢谢',
  },
  en: {
    noService: 'No care today',
    notToday: 'No care booked today',
    expected: 'Today {slot} · {what}',
    present: 'In care · {what}',
    late: 'In care (late) · {what}',
    leave: 'On leave today',
    leavePending: 'Leave pending approval',
    absent: 'Marked absent by the teacher — call the homeroom teacher now',
    relay: 'With the duty leader (relay care) — please come soon',
    released: '{t} collected by {who}',
    confirmed: 'You confirmed the pick-up',
    confirm: 'I have my child',
    substitute: 'Collected today by: {who}',
    askLeave: 'Leave',
    pickup: 'Pick up',
    substitutes: 'Substitute',
    codeTitle: "{name}'s pick-up code today",
    codeHint: 'At the gate, let the teacher scan the QR code or read out the 8 digits',
    refresh: 'Refreshes about every minute · valid until {t}',
    confirmedToast: 'Confirmed, thank you',
  },
};

const SLOT: Record<string, { zh: string; en: string }> = {
  morning: { zh: '上午延时', en: 'morning care' },
  noon: { zh: '午托', en: 'noon care' },
  afternoon: { zh: '下午托管', en: 'afternoon care' },
  late: { zh: '延时托管', en: 'late care' },
};

interface Session {
  slot: string;
  offeringName: string;
  venueName: string | null;
  status: 'expected' | 'present' | 'late' | 'leave' | 'absent';
  handover: 'none' | 'relay' | 'released';
  releasedAt: string | null;
  releasedToName: string | null;
  confirmedAt: string | null;
}
interface Today {
  day: string;
  reason: string | null;
  sessions: Session[];
  leave: { id: string; status: 'pending' | 'approved'; slots: string[] }[];
  substitutes: { id: string; name: string; relation: string }[];
}

const hhmm = (iso: string | null) =>
  iso
    ? new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(
        new Date(iso),
      )
    : '';

/** The session that describes the child's day best: one that is handed over or in relay, else the last of the day. */
function mainSession(s: Session[]) {
  return s.find((x) => x.handover === 'relay') ?? [...s].reverse().find((x) => x.handover === 'released') ?? s[s.length - 1];
}

export function ChildToday({ studentId, name }: { studentId: string; name: string }) {
  const t = useT(dict);
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [showCode, setShowCode] = useState(false);
  const today = useQuery({
    queryKey: ['afternoon-today', studentId],
    queryFn: () => get<Today>(`/afternoon/children/${studentId}/today`),
    refetchInterval: 30_000,
  });
  const confirm = useMutation({
    mutationFn: () => post(`/afternoon/children/${studentId}/confirm-pickup`),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('confirmedToast') });
      qc.invalidateQueries({ queryKey: ['afternoon-today', studentId] });
    },
    onError: (e) => Toast.show({ content: (e as Error).message }),
  });
  const d = today.data;
  let line: { text: string; color?: string } | null = null;
  const s = d ? mainSession(d.sessions) : undefined;
  if (d) {
    const what = s ? [s.offeringName, s.venueName].filter(Boolean).join(' · ') : '';
    if (d.reason) line = { text: t('noService') };
    else if (!s) line = { text: t('notToday') };
    else if (s.handover === 'released')
      line = { text: t('released', { t: hhmm(s.releasedAt), who: s.releasedToName ?? '' }), color: '#389e0d' };
    else if (s.handover === 'relay') line = { text: t('relay'), color: '#d46b08' };
    else if (s.status === 'leave') line = { text: t('leave'), color: '#1677ff' };
    else if (s.status === 'absent') line = { text: t('absent'), color: '#cf1322' };
    else if (d.leave.some((l) => l.status === 'pending' && l.slots.includes(s.slot))) line = { text: t('leavePending'), color: '#d48806' };
    else if (s.status === 'present' || s.status === 'late') line = { text: t(s.status, { what }) };
    else line = { text: t('expected', { slot: SLOT[s.slot]?.[lang] ?? s.slot, what }) };
  }
  return (
    <div>
      {today.isLoading && <Skeleton.Paragraph lineCount={1} animated />}
      {line && (
        <div data-testid="today-line" style={{ fontSize: 16, fontWeight: 600, color: line.color ?? '#333', margin: '4px 0 8px' }}>
          {line.text}
        </div>
      )}
      {d && d.substitutes.length > 0 && (
        <Tag color="warning" style={{ marginBottom: 8 }}>
          {t('substitute', { who: d.substitutes.map((x) => `${x.relation}${x.name}`).join('、') })}
        </Tag>
      )}
      {s?.handover === 'released' &&
        (s.confirmedAt ? (
          <div style={{ color: '#389e0d', marginBottom: 8 }}>✓ {t('confirmed')}</div>
        ) : (
          <Button
            block
            color="success"
            size="large"
            loading={confirm.isPending}
            onClick={() => confirm.mutate()}
            style={{ marginBottom: 8 }}
          >
            {t('confirm')}
          </Button>
        ))}
      <div style={{ display: 'flex', gap: 8, marginBottom: 4 }}>
        <Button style={{ flex: 1 }} size="large" onClick={() => navigate(`/m/leave/child/${studentId}`)}>
          {t('askLeave')}
        </Button>
        <Button style={{ flex: 1 }} size="large" color="primary" onClick={() => setShowCode(true)}>
          {t('pickup')}
        </Button>
        <Button style={{ flex: 1 }} size="large" onClick={() => navigate(`/m/substitute/${studentId}`)}>
          {t('substitutes')}
        </Button>
      </div>
      <Popup visible={showCode} onMaskClick={() => setShowCode(false)} bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12 }}>
        {showCode && <PickupCode studentId={studentId} name={name} />}
      </Popup>
    </div>
  );
}

function PickupCode({ studentId, name }: { studentId: string; name: string }) {
  const t = useT(dict);
  const code = useQuery({
    queryKey: ['afternoon-code', studentId],
    queryFn: () => get<{ token: string; code: string; expiresAt: string }>(`/afternoon/children/${studentId}/pickup-code`),
    // the token lives 10 minutes and the digits a 10-minute window: a fresh one every minute keeps both valid at the gate
    refetchInterval: 60_000,
  });
  const svg = code.data ? renderSVG(code.data.token, { border: 2 }) : null;
  return (
    <div style={{ padding: 20, textAlign: 'center' }}>
      <div style={{ fontSize: 18, fontWeight: 600 }}>{t('codeTitle', { name })}</div>
      <div style={{ color: '#888', fontSize: 13, margin: '6px 0 12px' }}>{t('codeHint')}</div>
      {code.isLoading && <Skeleton style={{ width: 240, height: 240, margin: '0 auto' }} animated />}
      {code.error && <div style={{ color: '#cf1322' }}>{(code.error as Error).message}</div>}
      {svg && code.data && (
        <>
          <img
            alt={code.data.code}
            src={`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`}
            style={{ width: 240, height: 240, imageRendering: 'pixelated' }}
          />
          <div
            data-testid="pickup-digits"
            style={{ fontSize: 34, fontWeight: 700, letterSpacing: 4, fontFamily: 'monospace', marginTop: 8 }}
          >
            {`${code.data.code.slice(0, 4)} ${code.data.code.slice(4)}`}
          </div>
          <div style={{ color: '#999', fontSize: 12, marginTop: 4 }}>{t('refresh', { t: hhmm(code.data.expiresAt) })}</div>
        </>
      )}
    </div>
  );
}
