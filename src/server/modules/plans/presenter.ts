/** Presenters: the fields each answer carries, picked explicitly (a new column never leaks). */
import type { Finding, PlanSnapshot } from '../../../shared/plan-inputs';
import type { offerings, planSlots, plans, planVersions, termDays, terms, venues } from '../../db/schema';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** `time` columns read back as HH:MM:SS; the API speaks HH:MM. */
export const hhmm = (t: string) => t.slice(0, 5);

export const presentTerm = (t: typeof terms.$inferSelect) => ({
  id: t.id,
  name: t.name,
  startsOn: t.startsOn,
  endsOn: t.endsOn,
  winterFrom: t.winterFrom,
  summerFrom: t.summerFrom,
  applyOpensAt: iso(t.applyOpensAt),
  applyClosesAt: iso(t.applyClosesAt),
});

export const presentTermDay = (d: typeof termDays.$inferSelect) => ({ day: d.day, kind: d.kind, asWeekday: d.asWeekday, note: d.note });

export const presentVenue = (v: typeof venues.$inferSelect & { campusName?: string | null }) => ({
  id: v.id,
  campusId: v.campusId,
  campusName: v.campusName ?? null,
  name: v.name,
  kind: v.kind,
  capacity: v.capacity,
  active: v.active,
});

export const presentSlot = (s: typeof planSlots.$inferSelect) =>
  ({
    slot: s.slot,
    season: s.season,
    gradeBand: s.gradeBand,
    startTime: hhmm(s.startTime),
    endTime: hhmm(s.endTime),
  }) as PlanSnapshot['slots'][number];

export const presentOffering = (o: typeof offerings.$inferSelect, names: { venueName?: string | null; teacherName?: string | null } = {}) =>
  ({
    id: o.id,
    kind: o.kind,
    category: o.category,
    name: o.name,
    description: o.description,
    slot: o.slot,
    gradeMin: o.gradeMin,
    gradeMax: o.gradeMax,
    weekdays: [...o.weekdays].sort((a, b) => a - b),
    capacity: o.capacity,
    venueId: o.venueId,
    venueName: names.venueName ?? null,
    teacherStaffId: o.teacherStaffId,
    teacherName: names.teacherName ?? null,
    providerName: o.providerName,
    feeMode: o.feeMode,
    feeFen: o.feeFen,
    allocation: o.allocation,
    opensAt: iso(o.opensAt),
  }) as PlanSnapshot['offerings'][number];

export const presentPlanHead = (p: typeof plans.$inferSelect) => ({
  id: p.id,
  termId: p.termId,
  status: p.status,
  version: p.version,
  safetyMeasures: p.safetyMeasures,
  complaintPhone: p.complaintPhone,
  complaintChannel: p.complaintChannel,
  feeBasis: p.feeBasis,
  updatedAt: p.updatedAt.toISOString(),
});

/** A version row without its snapshot (history lists). */
export const presentVersionHead = (v: typeof planVersions.$inferSelect) => ({
  version: v.version,
  status: v.status,
  submittedAt: iso(v.submittedAt),
  reviewedAt: iso(v.reviewedAt),
  reviewComment: v.reviewComment,
  publishedAt: iso(v.publishedAt),
  warnings: (v.findings as Finding[]).length,
});

export const presentVersion = (v: typeof planVersions.$inferSelect) => ({
  ...presentVersionHead(v),
  snapshot: v.snapshot as PlanSnapshot,
  findings: v.findings as Finding[],
});
