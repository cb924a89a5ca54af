/** The screen before the server answers: waiting writes applied over the roster follow the server's rules. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPending, type OverlayPupil } from './overlay';

const STATUSES = ['expected', 'present', 'late', 'leave', 'absent'] as const;
const pupil = (i: number, over: Partial<OverlayPupil> = {}): OverlayPupil => ({
  studentId: `s${i}`,
  status: 'expected',
  handover: 'none',
  releasedAt: null,
  releasedToName: null,
  ...over,
});
const write = (kind: 'mark' | 'all-present' | 'release' | 'relay', body: unknown = {}, label = '') => ({ kind, body, label, at: 0 });

describe('applyPending', () => {
  it('marks, all present, release and relay as the server does', () => {
    const roster = [pupil(1), pupil(2), pupil(3), pupil(4, { status: 'present', handover: 'released' })];
    const out = applyPending(roster, [
      write('mark', { marks: [{ studentId: 's1', status: 'absent' }] }),
      write('mark', { marks: [{ studentId: 's4', status: 'absent' }] }),
      write('all-present'),
      write('release', { studentId: 's2', pickupPersonId: 'p' }, '王芳'),
      write('release', { studentId: 's1', pickupPersonId: 'p' }, '不该'),
      write('relay'),
    ]);
    expect(out.map((p) => [p.status, p.handover])).toEqual([
      ['absent', 'none'],
      ['present', 'released'],
      ['present', 'relay'],
      ['present', 'released'],
    ]);
    expect(out[1].releasedToName).toBe('王芳');
    // a release that names whom the pupil went with shows that, not the label (which names the pupil too)
    const [sub] = applyPending(
      [pupil(1, { status: 'late' })],
      [{ ...write('release', { studentId: 's1' }, '小明 → 刘桂兰'), to: '刘桂兰（临时接送人）' }],
    );
    expect(sub).toMatchObject({ handover: 'released', releasedToName: '刘桂兰（临时接送人）' });
    expect(roster[0].status).toBe('expected'); // the cached roster is not changed in place
  });

  it('a marked-present pupil no longer shows the open case', () => {
    const [p] = applyPending(
      [pupil(1, { status: 'absent', caseOpen: true })],
      [write('mark', { marks: [{ studentId: 's1', status: 'present' }] })],
    );
    expect(p.caseOpen).toBe(false);
  });

  it('property: each write shown twice looks as shown once (the cache and the queue both hold it), nobody leaves the list, only present pupils are handed over', () => {
    const arbWrite = fc.oneof(
      fc
        .record({ kind: fc.constant('mark' as const), i: fc.nat(5), status: fc.constantFrom(...STATUSES.slice(1)) })
        .map((w) => write('mark', { marks: [{ studentId: `s${w.i}`, status: w.status }] })),
      fc.constant(write('all-present')),
      fc.constant(write('relay')),
      fc.nat(5).map((i) => write('release', { studentId: `s${i}` }, 'x')),
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STATUSES), { minLength: 6, maxLength: 6 }),
        fc.array(arbWrite, { maxLength: 12 }),
        (st, ws) => {
          const roster = st.map((status, i) => pupil(i, { status }));
          let shown = roster;
          for (const w of ws) {
            const next = applyPending(shown, [w]);
            expect(applyPending(next, [w])).toEqual(next);
            shown = next;
          }
          const once = applyPending(roster, ws);
          expect(once).toEqual(shown);
          expect(once.map((p) => p.studentId)).toEqual(roster.map((p) => p.studentId));
          for (const p of once) if (p.handover !== 'none') expect(['present', 'late']).toContain(p.status);
        },
      ),
    );
  });
});
