export interface TodayGroup {
  id: string;
  slot: string;
  band: string;
  index: number;
  offeringName: string;
  venueName: string | null;
  teacherName: string | null;
  campusName: string;
  time: string | null;
  expected: number;
  marked: number;
  checkedInAt: string | null;
}
export interface Today {
  day: string;
  weekday: number | null;
  reason: 'weekend' | 'holiday' | 'no_term' | null;
  closed: boolean;
  groups: TodayGroup[];
}
export interface RosterPupil {
  studentId: string;
  name: string;
  grade: number;
  className: string;
  status: 'expected' | 'present' | 'late' | 'leave' | 'absent';
  handover: 'none' | 'relay' | 'released';
  releasedAt: string | null;
  releasedToName: string | null;
  goHomeAlone: boolean;
  caseOpen: boolean;
}
export interface Adult {
  id: string;
  name: string;
  relation: string;
  phone: string;
  photo: string | null;
  validFrom: string | null;
  validTo: string | null;
}
export const SLOT_ZH: Record<string, string> = { morning: '上午延时', noon: '午托', afternoon: '下午课后服务', late: '延时托管' };
export const SLOT_EN: Record<string, string> = { morning: 'Morning', noon: 'Noon', afternoon: 'Afternoon', late: 'Late' };
export const hhmm = (iso: string | null) =>
  iso
    ? new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(
        new Date(iso),
      )
    : '';
/** A fresh key per tap: a replay of the same request (offline retry) is a no-op on the server. */
export const idemKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);
