/** Shapes of the rota API (modules/rota) as the pages read them. */
import type { RotaEntry } from '../../../shared/rota';

export interface Term {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
}
export type Entry = RotaEntry & { staffName: string };
export interface Day {
  date: string;
  weekday: number;
  season: 'summer' | 'winter';
  makeup: boolean;
  entries: Entry[];
}
export interface Rota {
  term: Term;
  today: string;
  mine: string[] | null;
  days: Day[];
}
export interface Colleague {
  id: string;
  name: string;
  campusName: string | null;
  kind: string;
  eligible: boolean;
  me: boolean;
}
export interface Swap {
  id: string;
  status: string;
  statusLabel: string;
  reason: string;
  createdAt: string;
  decisionNote: string;
  requesterName: string;
  colleagueName: string;
  role: 'requester' | 'colleague' | null;
  legs: { leg: number; day: string; groupId: string | null; slot: string; label: string; venueName: string | null }[];
}

export const WD = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
export const isoWeekday = (d: string) => ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
export const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** the Monday of a date's week */
export const mondayOf = (d: string) => addDays(d, 1 - isoWeekday(d));
/** the term that contains `day`, else the next one to start, else the latest */
export function currentTerm(terms: Term[], day: string): Term | undefined {
  return (
    terms.find((t) => t.startsOn <= day && t.endsOn >= day) ??
    [...terms].filter((t) => t.startsOn > day).sort((a, b) => a.startsOn.localeCompare(b.startsOn))[0] ??
    terms[0]
  );
}
