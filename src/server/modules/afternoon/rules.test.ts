/** Pure rules of the afternoon: the leave cut-off and the pick-up code (unit and property tests). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterCutoff, chinaInstant, DEFAULT_AFTERNOON_SETTINGS, leaveCovers, leaveDeadline } from '../../../shared/afternoon';
import { SLOTS } from '../../../shared/plans';
import { matchShortCode, shortCode, signPickupToken, TOKEN_TTL_S, verifyPickupToken, WINDOW_MS } from './pickup-code';

const day = fc
  .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const slotsArb = fc.uniqueArray(fc.constantFrom(...SLOTS), { minLength: 1, maxLength: 4 });
const uuid = fc.uuid();

describe('leave cut-off', () => {
  it('12:00 on the day in Asia/Shanghai is 04:00 UTC', () => {
    expect(new Date(chinaInstant('2026-11-30', '12:00')).toISOString()).toBe('2026-11-30T04:00:00.000Z');
    expect(afterCutoff(Date.parse('2026-11-30T03:59:59Z'), '2026-11-30', ['afternoon'], DEFAULT_AFTERNOON_SETTINGS)).toBe(false);
    expect(afterCutoff(Date.parse('2026-11-30T04:00:00Z'), '2026-11-30', ['afternoon'], DEFAULT_AFTERNOON_SETTINGS)).toBe(true);
  });
  it('hours mode: N hours before the earliest slot asked for', () => {
    const s = { ...DEFAULT_AFTERNOON_SETTINGS, leaveCutoffMode: 'hours' as const, leaveCutoffHours: 2 };
    // afternoon starts 15:40 → deadline 13:40 China = 05:40 UTC; with noon (11:50) it is 09:50 China
    expect(new Date(leaveDeadline('2026-11-30', 'afternoon', s)).toISOString()).toBe('2026-11-30T05:40:00.000Z');
    expect(afterCutoff(Date.parse('2026-11-30T02:00:00Z'), '2026-11-30', ['afternoon', 'noon'], s)).toBe(true);
    expect(afterCutoff(Date.parse('2026-11-30T01:00:00Z'), '2026-11-30', ['afternoon', 'noon'], s)).toBe(false);
  });
  it('property: late exactly from the earliest deadline on; more slots never make a request less late', () => {
    fc.assert(
      fc.property(
        day,
        slotsArb,
        fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }),
        fc.constantFrom('time', 'hours'),
        (d, slots, offset, mode) => {
          const s = { ...DEFAULT_AFTERNOON_SETTINGS, leaveCutoffMode: mode as 'time' | 'hours' };
          const deadline = Math.min(...slots.map((x) => leaveDeadline(d, x, s)));
          const now = deadline + offset;
          expect(afterCutoff(now, d, slots, s)).toBe(offset >= 0);
          for (const extra of SLOTS) if (afterCutoff(now, d, slots, s)) expect(afterCutoff(now, d, [...slots, extra], s)).toBe(true);
        },
      ),
    );
  });
  it('property: a leave covers exactly its days and slots', () => {
    fc.assert(
      fc.property(day, day, day, slotsArb, fc.constantFrom(...SLOTS), (a, b, d, slots, slot) => {
        const [fromDay, toDay] = a <= b ? [a, b] : [b, a];
        expect(leaveCovers({ fromDay, toDay, slots }, d, slot)).toBe(fromDay <= d && d <= toDay && slots.includes(slot));
      }),
    );
  });
});

describe('pick-up code', () => {
  const secret = 'test-secret-0123456789';
  const claims = fc.record({ schoolId: uuid, studentId: uuid, guardianId: uuid, day });

  it('property: a token verifies in its school and day until it expires, and not after', () => {
    fc.assert(
      fc.property(
        claims,
        fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }),
        fc.integer({ min: 0, max: 2 * TOKEN_TTL_S }),
        (c, issued, age) => {
          const token = signPickupToken(secret, { ...c, expires: issued + TOKEN_TTL_S });
          const v = verifyPickupToken(secret, token, (issued + age) * 1000, { schoolId: c.schoolId, day: c.day });
          if (age < TOKEN_TTL_S) expect(v).toEqual({ ok: true, claims: { ...c, expires: issued + TOKEN_TTL_S } });
          else expect(v).toEqual({ ok: false, reason: 'expired' });
        },
      ),
    );
  });

  it('property: another school, another day, another secret or any changed character is refused', () => {
    fc.assert(
      fc.property(claims, uuid, fc.nat(), (c, other, pos) => {
        const now = 1_800_000_000_000;
        const token = signPickupToken(secret, { ...c, expires: now / 1000 + 60 });
        const at = { schoolId: c.schoolId, day: c.day };
        if (other !== c.schoolId)
          expect(verifyPickupToken(secret, token, now, { ...at, schoolId: other })).toEqual({ ok: false, reason: 'other_school' });
        expect(verifyPickupToken(secret, token, now, { ...at, day: '1999-01-01' })).toEqual({ ok: false, reason: 'other_day' });
        expect(verifyPickupToken('another-secret', token, now, at)).toEqual({ ok: false, reason: 'bad_signature' });
        // flip one character of the signature or of the pupil's id: never accepted
        const i = token.length - 1 - (pos % 20);
        const ch = token[i] === 'A' ? 'B' : 'A';
        const forged = token.slice(0, i) + ch + token.slice(i + 1);
        expect(verifyPickupToken(secret, forged, now, at).ok).toBe(false);
        const swapped = token.replace(c.studentId, c.guardianId);
        if (c.studentId !== c.guardianId) expect(verifyPickupToken(secret, swapped, now, at).ok).toBe(false);
      }),
    );
  });

  it('rejects malformed tokens', () => {
    for (const bad of ['', 'KH1', 'KH2.a.b.c.d.e.f', `KH1.${'x'.repeat(36)}.a.b.2026-01-01.1.s`]) {
      expect(verifyPickupToken(secret, bad, 0, { schoolId: 'x', day: '2026-01-01' })).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('property: the 8-digit code matches its guardian in its window and the next, not later, not for another pupil', () => {
    fc.assert(
      fc.property(claims, uuid, fc.integer({ min: 2_000_000, max: 4_000_000 }), (c, otherPupil, window) => {
        const code = shortCode(secret, c.schoolId, c.studentId, c.guardianId, c.day, window);
        expect(code).toMatch(/^\d{8}$/);
        const who = (now: number, studentId = c.studentId) =>
          matchShortCode(secret, code, now, { schoolId: c.schoolId, studentId, day: c.day, guardianIds: [c.guardianId] });
        expect(who(window * WINDOW_MS)).toBe(c.guardianId);
        expect(who((window + 1) * WINDOW_MS + 5)).toBe(c.guardianId);
        expect(who((window + 2) * WINDOW_MS)).toBeNull();
        if (otherPupil !== c.studentId) expect(who(window * WINDOW_MS, otherPupil)).toBeNull();
      }),
    );
  });
});
