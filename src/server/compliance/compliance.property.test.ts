/** Properties of the rules over generated plans (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hhmmOf, minutesOf } from '../../shared/plan-inputs';
import { CATEGORIES, FEE_MODES, GRADE_BANDS, SEASONS, SLOTS } from '../../shared/plans';
import { FIELD, goodPlan, TEACHER, VENUE } from './fixtures';
import { checkPlan, compareFindings } from './index';
import { FORBIDDEN_WORDS } from './content';
import type { PlanCheckInput } from './types';

const time = fc.integer({ min: 6 * 60, max: 21 * 60 });
const slotArb = fc.record({
  slot: fc.constantFrom(...SLOTS),
  season: fc.constantFrom(...SEASONS),
  gradeBand: fc.constantFrom(...GRADE_BANDS),
  start: time,
  length: fc.integer({ min: 10, max: 240 }),
});
const offeringArb = fc.record({
  id: fc.uuid(),
  kind: fc.constantFrom('care' as const, 'club' as const),
  category: fc.constantFrom(...CATEGORIES),
  name: fc.string({ maxLength: 12 }),
  description: fc.string({ maxLength: 20 }),
  slot: fc.constantFrom(...SLOTS),
  gradeMin: fc.integer({ min: 1, max: 6 }),
  span: fc.integer({ min: 0, max: 5 }),
  weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 }),
  capacity: fc.integer({ min: 1, max: 200 }),
  venueId: fc.constantFrom(null, VENUE.id, FIELD.id),
  teacherStaffId: fc.constantFrom(null, TEACHER.id),
  feeMode: fc.constantFrom(...FEE_MODES),
  feeFen: fc.integer({ min: 1, max: 100_000 }),
});

/** A random plan: slots (unique per slot, season, band), offerings, texts and settings. */
const planArb = fc
  .record({
    slots: fc.uniqueArray(slotArb, { selector: (s) => `${s.slot}${s.season}${s.gradeBand}`, maxLength: 12 }),
    offerings: fc.array(offeringArb, { maxLength: 6 }),
    latestEnd: fc.integer({ min: 16 * 60, max: 20 * 60 }),
    safety: fc.constantFrom('', '考勤与交接'),
    feeBasis: fc.constantFrom('', '收费文件'),
    phone: fc.constantFrom('', '0631-5201234'),
  })
  .map(({ slots, offerings, latestEnd, safety, feeBasis, phone }): PlanCheckInput => {
    const base = goodPlan();
    return {
      ...base,
      plan: {
        ...base.plan,
        safetyMeasures: safety,
        feeBasis,
        complaintPhone: phone,
        settings: { ...base.plan.settings, latestEnd: hhmmOf(latestEnd) },
      },
      slots: slots.map((s) => ({
        slot: s.slot,
        season: s.season,
        gradeBand: s.gradeBand,
        startTime: hhmmOf(s.start),
        endTime: hhmmOf(Math.min(s.start + s.length, 23 * 60 + 59)),
      })),
      offerings: offerings.map(({ span, ...o }) => ({
        ...o,
        gradeMax: Math.min(6, o.gradeMin + span),
        venueName: null,
        teacherName: null,
        providerName: '',
        feeFen: o.feeMode === 'free' ? 0 : o.feeFen,
        allocation: 'approval' as const,
        opensAt: null,
      })),
    };
  });

describe('compliance properties', () => {
  it('a plan whose afternoon ends no later than latestEnd never gets an R4 finding; one that ends later always does', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const late = plan.slots.some((s) => s.slot === 'afternoon' && minutesOf(s.endTime) > minutesOf(plan.plan.settings.latestEnd));
        const r4 = checkPlan(plan).filter((f) => f.id === 'R4');
        expect(r4.length > 0).toBe(late);
        expect(r4.every((f) => f.severity === 'block')).toBe(true);
      }),
    );
  });

  it('findings are deterministic: the same plan in any row order gives the same list, already sorted', () => {
    fc.assert(
      fc.property(planArb, fc.integer(), (plan, seed) => {
        const shuffled = { ...plan, slots: shuffle(plan.slots, seed), offerings: shuffle(plan.offerings, seed + 1) };
        const a = checkPlan(plan);
        expect(checkPlan(shuffled)).toEqual(a);
        expect([...a].sort(compareFindings)).toEqual(a);
      }),
    );
  });

  it('every finding names its rule, its source, a severity, a Chinese message and a path', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        for (const f of checkPlan(plan)) {
          expect(f.id).toMatch(/^[RNL]\d+/);
          expect(f.source.length).toBeGreaterThan(5);
          expect(['block', 'warn']).toContain(f.severity);
          expect(f.message).toMatch(/[\u4e00-\u9fff]/);
          expect(f.path.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('every finding also speaks English: a message and a source with no Chinese outside the quoted names', () => {
    const cjk = /[\u4e00-\u9fff]/;
    fc.assert(
      fc.property(planArb, (plan) => {
        for (const f of checkPlan(plan)) {
          expect(f.messageEn?.length ?? 0).toBeGreaterThan(10);
          expect(f.messageEn?.replace(/“[^”]*”/g, '')).not.toMatch(cjk);
          expect(f.sourceEn).not.toMatch(cjk);
        }
      }),
    );
  });

  it('an offering name with a forbidden word always blocks under R3', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORBIDDEN_WORDS), fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), (word, pre, post) => {
        const plan = goodPlan();
        plan.offerings[1].name = `${pre}${word}${post}`;
        expect(checkPlan(plan).some((f) => f.id === 'R3' && f.severity === 'block' && f.path.endsWith('.name'))).toBe(true);
      }),
    );
  });

  it('raising a fee never removes an L2 finding; a free plan has no fee findings', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 0, max: 100_000 }), (fee, extra) => {
        const at = (fen: number) => {
          const p = goodPlan();
          p.offerings[0].feeFen = fen;
          return checkPlan(p).filter((f) => f.id === 'L2').length;
        };
        expect(at(fee + extra)).toBeGreaterThanOrEqual(at(fee));
        const free = goodPlan();
        for (const o of free.offerings) Object.assign(o, { feeMode: 'free', feeFen: 0 });
        free.plan.feeBasis = '';
        expect(checkPlan(free).filter((f) => ['L2', 'R9-basis', 'R9-phone', 'N9'].includes(f.id))).toEqual([]);
      }),
    );
  });
});

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
