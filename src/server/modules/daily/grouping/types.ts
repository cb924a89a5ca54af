/**
 * Care groups (编班): the input the grouping reads from enrolments, staff and venues, and what it
 * produces. Pure data: no database here, so the rules can be tested by properties.
 */
import type { Slot } from '../../../../shared/plans';

export interface GroupingSettings {
  /** R5: at most this many pupils in a group (seed: 35) */
  maxGroupSize: number;
  /** R5: one duty leader per this many groups … */
  groupsPerDuty: number;
  /** … and at least this many duty leaders a day (seed: two) */
  minDutyPerDay: number;
  /** solver time limit, seconds */
  timeLimitSeconds: number;
}

export const DEFAULT_GROUPING: GroupingSettings = { maxGroupSize: 35, groupsPerDuty: 4, minDutyPerDay: 2, timeLimitSeconds: 1 };

export interface PupilIn {
  id: string;
  grade: number;
  campusId: string;
  /** grade, class and student number: pupils who sort together stay together */
  sortKey: string;
}

export interface OfferingIn {
  id: string;
  kind: 'care' | 'club';
  name: string;
  slot: Slot;
  /** clubs meet in their own venue with their own teacher or provider */
  venueId: string | null;
  teacherStaffId: string | null;
  providerName: string;
}

export interface EnrolmentIn {
  studentId: string;
  offeringId: string;
  weekday: number;
}

export interface StaffIn {
  id: string;
  name: string;
  /** null: can serve on any campus */
  campusId: string | null;
  /** POLICY N16 / R11: vetted 'clear' within a year and active; nobody else is ever assigned */
  eligible: boolean;
  /** may lead a day as duty leader (role duty) */
  canDuty: boolean;
  /** `${weekday}:${slot}` the person cannot serve */
  unavailable: string[];
}

export interface VenueIn {
  id: string;
  campusId: string;
  name: string;
  capacity: number;
}

export interface GroupingInput {
  settings: GroupingSettings;
  /** minutes each slot lasts (for teachers' hours) */
  slotMinutes: Record<Slot, number>;
  pupils: PupilIn[];
  offerings: OfferingIn[];
  enrolments: EnrolmentIn[];
  staff: StaffIn[];
  venues: VenueIn[];
}

export interface Group {
  /** the same key on every weekday for "the same group", so pupils and teachers stay together */
  key: string;
  weekday: number;
  slot: Slot;
  campusId: string;
  offeringId: string;
  /** low (grades 1–2), high (3–6), mixed */
  band: 'low' | 'high' | 'mixed';
  index: number;
  studentIds: string[];
  teacherStaffId: string | null;
  /** a third-party provider teaching a club (no staff member) */
  providerName: string;
  venueId: string | null;
}

export interface DutyAssignment {
  weekday: number;
  staffId: string;
}

export type ViolationCode =
  | 'GROUP_TOO_LARGE'
  | 'TEACHER_DOUBLE_BOOKED'
  | 'VENUE_DOUBLE_BOOKED'
  | 'TEACHER_NOT_ELIGIBLE'
  | 'TEACHER_UNAVAILABLE'
  | 'TEACHER_WRONG_CAMPUS'
  | 'NO_TEACHER'
  | 'NO_VENUE'
  | 'VENUE_TOO_SMALL'
  | 'VENUE_WRONG_CAMPUS'
  | 'PUPIL_NOT_PLACED'
  | 'PUPIL_PLACED_TWICE'
  | 'TOO_FEW_DUTY'
  | 'DUTY_DOUBLE_BOOKED';

export interface Violation {
  code: ViolationCode;
  /** the rule it breaks, e.g. R5, R11 */
  rule: string;
  message: string;
  weekday?: number;
  slot?: Slot;
  groupKey?: string;
}

export interface GroupingResult {
  groups: Group[];
  duty: DutyAssignment[];
  violations: Violation[];
  /** what the optimiser changed on its own (e.g. a club's barred teacher replaced) */
  notes: Violation[];
  /** minutes per staff member (groups + duty) */
  teacherMinutes: Record<string, number>;
  /** max − min minutes among staff who could teach */
  teacherMinutesSpread: number;
  solver: { status: string; seconds: number };
}
