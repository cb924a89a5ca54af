/** Shapes of the care log's API answers, shared by the duty console and the teacher's phone page. */
export interface Patrol {
  id: string;
  at: string;
  rating: number;
  note: string;
  photo: string | null;
  groupId: string | null;
  groupLabel: string;
  venueName: string | null;
  recordedBy: string | null;
}
export interface IncidentRecipient {
  name: string;
  role: string;
  level: number;
  acknowledgedAt: string | null;
  me: boolean;
}
export interface Incident {
  id: string;
  day: string;
  kind: 'injury' | 'illness' | 'conflict' | 'other';
  severity: 'minor' | 'serious' | 'critical';
  description: string;
  actionTaken: string;
  photo: string | null;
  status: 'open' | 'closed';
  outcome: string | null;
  level: number;
  reportedAt: string;
  escalatedAt: string | null;
  closedAt: string | null;
  groupLabel: string;
  reportedBy: string | null;
  closedBy: string | null;
  pupils: { studentId: string; name: string; className: string }[];
  recipients: IncidentRecipient[];
}
export const SEVERITY_COLOR: Record<Incident['severity'], string> = { minor: 'gold', serious: 'orange', critical: 'red' };
