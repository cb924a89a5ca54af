/** What the API shows of applications, enrolments, offerings and agreements: fields picked explicitly. */
import { APPLICATION_STATUS_LABELS, type ApplicationStatus } from '../../../shared/enrollment';
import { ENROLLMENT_STATUS_LABELS, PRIORITY_LABELS, type PriorityCategory } from '../../../shared/plans';
import type { ApplicationRow } from './applications.service';
import type { PublishedOffering } from './published';
import type { TextRow } from './texts';

export function presentApplication(a: ApplicationRow, choices: { offeringId: string; weekday: number; rank: number }[]) {
  return {
    id: a.id,
    termId: a.termId,
    studentId: a.studentId,
    status: a.status,
    statusLabel: APPLICATION_STATUS_LABELS[a.status as ApplicationStatus] ?? a.status,
    priorityCategory: a.priorityCategory,
    priorityLabel: a.priorityCategory ? (PRIORITY_LABELS[a.priorityCategory as PriorityCategory] ?? a.priorityCategory) : null,
    priorityNote: a.priorityNote,
    lunch: a.lunch,
    goHomeAlone: a.goHomeAlone,
    reviewComment: a.reviewComment,
    reviewedAt: a.reviewedAt,
    submittedAt: a.submittedAt,
    updatedAt: a.updatedAt,
    choices: choices.map((c) => ({ offeringId: c.offeringId, weekday: Number(c.weekday), rank: Number(c.rank) })),
  };
}

export interface EnrollmentView {
  id: string;
  studentId: string;
  offeringId: string;
  offeringName: string;
  kind: string;
  slot: string;
  weekday: number;
  status: string;
  source: string;
  position: number | null;
  offerExpiresAt: Date | string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  updatedAt: Date | string;
}

export const presentEnrollment = (e: EnrollmentView) => ({
  id: e.id,
  studentId: e.studentId,
  offeringId: e.offeringId,
  offeringName: e.offeringName,
  kind: e.kind,
  slot: e.slot,
  weekday: Number(e.weekday),
  status: e.status,
  statusLabel: ENROLLMENT_STATUS_LABELS[e.status as keyof typeof ENROLLMENT_STATUS_LABELS] ?? e.status,
  source: e.source,
  position: e.position === null ? null : Number(e.position),
  offerExpiresAt: e.offerExpiresAt ? new Date(e.offerExpiresAt).toISOString() : null,
  effectiveFrom: e.effectiveFrom,
  effectiveTo: e.effectiveTo,
  updatedAt: new Date(e.updatedAt).toISOString(),
});

export interface SeatCount {
  weekday: number;
  capacity: number;
  taken: number;
  waitlisted: number;
}

export const presentOffering = (o: PublishedOffering, grade: number, seats: SeatCount[]) => ({
  id: o.id,
  kind: o.kind,
  category: o.category,
  name: o.name,
  description: o.description,
  slot: o.slot,
  gradeMin: o.gradeMin,
  gradeMax: o.gradeMax,
  weekdays: o.weekdays,
  capacity: o.capacity,
  venueName: o.venueName,
  teacherName: o.teacherName,
  providerName: o.providerName,
  feeMode: o.feeMode,
  feeFen: o.feeFen,
  allocation: o.allocation,
  opensAt: o.opensAt,
  eligible: grade >= o.gradeMin && grade <= o.gradeMax,
  seats: o.weekdays.map((wd) => {
    const s = seats.find((x) => x.weekday === wd);
    const capacity = s?.capacity ?? o.capacity;
    const taken = s?.taken ?? 0;
    return { weekday: wd, capacity, taken, left: Math.max(0, capacity - taken), waitlisted: s?.waitlisted ?? 0 };
  }),
});

export const presentText = (t: TextRow, signed: { signedAt: Date | string; textHash: string } | undefined) => ({
  id: t.id,
  kind: t.kind,
  version: Number(t.version),
  title: t.title,
  body: t.body,
  sha256: t.sha256,
  signedAt: signed ? new Date(signed.signedAt).toISOString() : null,
});
