/**
 * What the teacher sees before the server has answered: the queued writes of a group applied, in
 * tap order, over the last roster the phone has (fresh, or cached by the service worker offline).
 * The same rules as the server (writes.ts): a handed-over pupil's mark does not change; all present
 * marks only the unmarked; relay moves the present and late who are still here.
 */
import type { QueuedWrite } from './idb';

export interface OverlayPupil {
  studentId: string;
  status: 'expected' | 'present' | 'late' | 'leave' | 'absent';
  handover: 'none' | 'relay' | 'released';
  releasedAt: string | null;
  releasedToName: string | null;
  caseOpen?: boolean;
}

export function applyPending<P extends OverlayPupil>(
  pupils: P[],
  writes: Pick<QueuedWrite, 'kind' | 'body' | 'label' | 'at' | 'to'>[],
): P[] {
  let out = pupils;
  for (const w of writes) {
    const body = (w.body ?? {}) as { marks?: { studentId: string; status: P['status'] }[]; studentId?: string };
    if (w.kind === 'mark') {
      const marks = new Map((body.marks ?? []).map((m) => [m.studentId, m.status]));
      // a pupil marked present again closes the case on the server too
      out = out.map((p) => {
        const status = marks.get(p.studentId);
        if (!status || p.handover !== 'none') return p;
        return { ...p, status, caseOpen: status === 'absent' ? p.caseOpen : false };
      });
    } else if (w.kind === 'all-present') {
      out = out.map((p) => (p.status === 'expected' ? { ...p, status: 'present' } : p));
    } else if (w.kind === 'relay') {
      out = out.map((p) => ((p.status === 'present' || p.status === 'late') && p.handover === 'none' ? { ...p, handover: 'relay' } : p));
    } else if (w.kind === 'release') {
      out = out.map((p) =>
        p.studentId === body.studentId && p.handover !== 'released' && (p.status === 'present' || p.status === 'late')
          ? { ...p, handover: 'released', releasedAt: new Date(w.at).toISOString(), releasedToName: w.to ?? w.label }
          : p,
      );
    }
  }
  return out;
}
