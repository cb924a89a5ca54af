/** English labels for the findings' English messages (the web app's labels.ts holds the same words for its screens). */
import type { GradeBand, Season, Slot } from '../../shared/plans';

export const SLOT_EN: Record<Slot, string> = {
  morning: 'morning extension',
  noon: 'noon care',
  afternoon: 'afternoon service',
  late: 'late extension',
};
export const SEASON_EN: Record<Season, string> = { summer: 'summer schedule', winter: 'winter schedule' };
export const GRADE_BAND_EN: Record<GradeBand, string> = { all: 'all grades', low: 'grades 1–2', high: 'grades 3–6' };
export const WEEKDAY_EN: Record<number, string> = { 1: 'Mon', 2: 'Tue', 3: 'Wed', 4: 'Thu', 5: 'Fri' };
export const FEE_MODE_EN: Record<string, string> = {
  free: 'free',
  per_session: 'per session',
  per_month: 'per month',
  per_term: 'per term',
};

/** "「name」" in Chinese messages, “name” in English ones. */
export const q = (name: string) => `“${name}”`;
