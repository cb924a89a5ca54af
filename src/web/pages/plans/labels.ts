/** The plan vocabulary in the reader's language (the shared labels are the Chinese ones). */
import { useCallback } from 'react';
import { VENUE_KIND_LABELS } from '../../../shared/plan-inputs';
import {
  ALLOCATION_LABELS,
  CATEGORY_LABELS,
  FEE_MODE_LABELS,
  GRADE_BAND_LABELS,
  OFFERING_KIND_LABELS,
  PLAN_STATUS_LABELS,
  SEASON_LABELS,
  SLOT_LABELS,
  WEEKDAY_LABELS,
} from '../../../shared/plans';
import { useLocale } from '../../i18n';

const EN: Record<string, Record<string, string>> = {
  slot: { morning: 'Morning extension', noon: 'Lunch & noon care', afternoon: 'Afternoon service', late: 'Late extension' },
  season: { summer: 'Summer schedule', winter: 'Winter schedule' },
  band: { all: 'All grades', low: 'Grades 1–2', high: 'Grades 3–6' },
  kind: { care: 'Regular care', club: 'Club' },
  category: {
    homework: 'Homework',
    reading: 'Reading',
    sport: 'Sport',
    arts: 'Arts',
    science: 'Science',
    labour: 'Labour',
    heritage: 'Heritage',
    programming: 'Programming',
    other: 'Other',
  },
  feeMode: { free: 'Free', per_session: 'Per session', per_month: 'Per month', per_term: 'Per term' },
  allocation: { fcfs: 'First come', ranked: 'Ranked choice', lottery: 'Lottery', approval: 'Approval' },
  venueKind: {
    classroom: 'Classroom',
    function: 'Function room',
    library: 'Library',
    playground: 'Playground',
    multimedia: 'Multimedia',
    gym: 'Gym',
    other: 'Other',
  },
  status: { draft: 'Draft', submitted: 'Submitted', returned: 'Returned', filed: 'Filed', published: 'Published' },
  weekday: { 1: 'Mon', 2: 'Tue', 3: 'Wed', 4: 'Thu', 5: 'Fri' },
};

const ZH: Record<string, Record<string, string>> = {
  slot: SLOT_LABELS,
  season: SEASON_LABELS,
  band: GRADE_BAND_LABELS,
  kind: OFFERING_KIND_LABELS,
  category: CATEGORY_LABELS,
  feeMode: FEE_MODE_LABELS,
  allocation: ALLOCATION_LABELS,
  venueKind: VENUE_KIND_LABELS,
  status: PLAN_STATUS_LABELS,
  weekday: WEEKDAY_LABELS as Record<string, string>,
};

export type LabelGroup = keyof typeof ZH;

/** label('slot', 'afternoon') → 下午课后服务 / Afternoon service */
export function useLabel() {
  const { locale } = useLocale();
  return useCallback(
    (group: LabelGroup, key: string | number) => (locale === 'en' ? EN : ZH)[group]?.[String(key)] ?? String(key),
    [locale],
  );
}

/** 周一、周三 / Mon, Wed; every weekday: 周一至周五 */
export function weekdayText(days: readonly number[], en = false): string {
  const sorted = [...days].sort((a, b) => a - b);
  if (sorted.join() === '1,2,3,4,5') return en ? 'Mon–Fri' : '周一至周五';
  return sorted.map((d) => (en ? EN.weekday[d] : WEEKDAY_LABELS[d])).join(en ? ', ' : '、');
}

export const gradeText = (a: number, b: number, en = false) =>
  en ? (a === b ? `Grade ${a}` : `Grades ${a}–${b}`) : a === b ? `${a} 年级` : `${a}–${b} 年级`;
