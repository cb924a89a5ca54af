/** What GET /api/family/apply/:studentId answers (see src/server/modules/enrollment/apply.routes.ts). */
export interface SeatInfo {
  weekday: number;
  capacity: number;
  taken: number;
  left: number;
  waitlisted: number;
}
export interface Offering {
  id: string;
  kind: 'care' | 'club';
  category: string;
  name: string;
  description: string;
  slot: 'morning' | 'noon' | 'afternoon' | 'late';
  gradeMin: number;
  gradeMax: number;
  weekdays: number[];
  capacity: number;
  venueName: string | null;
  teacherName: string | null;
  providerName: string;
  feeMode: 'free' | 'per_session' | 'per_month' | 'per_term';
  feeFen: number;
  allocation: 'fcfs' | 'ranked' | 'lottery' | 'approval';
  opensAt: string | null;
  eligible: boolean;
  seats: SeatInfo[];
}
export interface Agreement {
  id: string;
  kind: 'service' | 'safety';
  version: number;
  title: string;
  body: string;
  sha256: string;
  signedAt: string | null;
}
export interface Choice {
  offeringId: string;
  weekday: number;
  rank: number;
}
export interface Application {
  id: string;
  status: 'submitted' | 'approved' | 'rejected' | 'withdrawn';
  statusLabel: string;
  priorityCategory: string | null;
  priorityNote: string;
  lunch: boolean;
  goHomeAlone: boolean;
  reviewComment: string;
  choices: Choice[];
}
export interface Place {
  id: string;
  offeringId: string;
  offeringName: string;
  kind: string;
  slot: string;
  weekday: number;
  status: 'enrolled' | 'waitlisted' | 'offered' | 'withdrawn' | 'rejected';
  statusLabel: string;
  position: number | null;
  offerExpiresAt: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
}
export interface ApplyData {
  child: { id: string; name: string; grade: number; className: string };
  terms: { id: string; name: string }[];
  settings: { offerHours: number; goHomeAloneMinGrade: number };
  term: null | {
    id: string;
    name: string;
    startsOn: string;
    endsOn: string;
    applyOpensAt: string | null;
    applyClosesAt: string | null;
    window: 'open' | 'not_yet' | 'closed';
  };
  offerings: Offering[];
  agreements: Agreement[];
  application: Application | null;
  enrollments: Place[];
}
