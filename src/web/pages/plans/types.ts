/** The shapes the plan API answers with, and the queries the plan pages share. */
import { useQuery } from '@tanstack/react-query';
import type { Finding, PlanSnapshot, SnapshotOffering } from '../../../shared/plan-inputs';
import type { PLAN_STATUSES, PlanSettings } from '../../../shared/plans';
import { get } from '../../api';

export type { Finding, PlanSnapshot, SnapshotOffering };
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface Term {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
  winterFrom: string | null;
  summerFrom: string | null;
  applyOpensAt: string | null;
  applyClosesAt: string | null;
}

export interface TermListRow extends Term {
  plan: { id: string; status: PlanStatus; version: number } | null;
}

export interface TermDay {
  day: string;
  kind: 'holiday' | 'makeup';
  asWeekday: number | null;
  note: string;
}

export interface DaySummary {
  total: number;
  summer: number;
  winter: number;
  makeup: number;
  perWeekday: Record<string, number>;
}

export interface TermDetail extends Term {
  days: TermDay[];
  summary: DaySummary;
}

export interface Venue {
  id: string;
  campusId: string;
  campusName: string | null;
  name: string;
  kind: string;
  capacity: number;
  active: boolean;
}

export interface VersionHead {
  version: number;
  status: Exclude<PlanStatus, 'draft'>;
  submittedAt: string | null;
  reviewedAt: string | null;
  reviewComment: string;
  publishedAt: string | null;
  warnings: number;
}

export interface VersionFull extends VersionHead {
  snapshot: PlanSnapshot;
  findings: Finding[];
}

export type Slot = PlanSnapshot['slots'][number];

export interface PlanView {
  id: string;
  termId: string;
  status: PlanStatus;
  version: number;
  safetyMeasures: string;
  complaintPhone: string;
  complaintChannel: string;
  feeBasis: string;
  updatedAt: string;
  settings: PlanSettings;
  term: PlanSnapshot['term'];
  slots: Slot[];
  offerings: SnapshotOffering[];
  findings: Finding[];
  blocking: number;
  canSubmit: boolean;
  canPublish: boolean;
  reviewComment: string;
  published: { version: number; publishedAt: string | null } | null;
  versions: VersionHead[];
}

/** What GET /api/public/plans/:schoolCode answers. */
export interface PublicPlan {
  version: number;
  publishedAt: string | null;
  filedAt: string | null;
  calendar: { exceptions: TermDay[]; summary: DaySummary };
  snapshot: PlanSnapshot;
}

export const STATUS_COLORS: Record<PlanStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  returned: 'warning',
  filed: 'cyan',
  published: 'success',
};

export const useTerms = () => useQuery({ queryKey: ['terms'], queryFn: () => get<TermListRow[]>('/terms') });
export const useVenues = () => useQuery({ queryKey: ['venues'], queryFn: () => get<Venue[]>('/venues'), staleTime: 30_000 });
export const usePlan = (id: string | undefined) =>
  useQuery({ queryKey: ['plan', id], queryFn: () => get<PlanView>(`/plans/${id}`), enabled: !!id });

/** Integer fen ↔ yuan for money inputs. */
export const fenToYuan = (fen: number) => fen / 100;
export const yuanToFen = (yuan: number | null | undefined) => Math.round((yuan ?? 0) * 100);
