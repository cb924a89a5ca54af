/**
 * Every plan rule through the API: one change to a compliant plan brings its finding (with the
 * rule's id, source and severity) to GET /plans/:id/check; putting the plan back clears it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestEnv, describeEachDb, login, type Res, type TestEnv } from '../../test/harness';
import { BASE_SLOTS, clubOffering, type Fixture, ok, put, resetPlan, springPlan } from './testkit';

interface Case {
  rule: string;
  severity: 'block' | 'warn';
  change(c: Client, f: Fixture, offerings: { id: string; name: string }[]): Promise<Res>;
}

const slotsWith = (changes: Partial<(typeof BASE_SLOTS)[number]>[], filter = (_s: (typeof BASE_SLOTS)[number]) => true) =>
  BASE_SLOTS.filter(filter).map((s, i) => ({ ...s, ...(changes[i] ?? {}) }));

const care = (os: { id: string; name: string }[]) => os.find((o) => o.name === '普通托管')!.id;
const club = (os: { id: string; name: string }[]) => os.find((o) => o.name === '足球')!.id;

const CASES: Case[] = [
  {
    rule: 'R4',
    severity: 'block',
    change: (c, f) => put(c, `/api/plans/${f.planId}/slots`, { slots: slotsWith([{}, { endTime: '18:20' }]) }),
  },
  { rule: 'N6', severity: 'warn', change: (c, f) => c.patch(`/api/plans/${f.planId}`, { settings: { earliestEnd: '17:50' } }) },
  {
    rule: 'R4-stagger',
    severity: 'warn',
    change: (c, f) => put(c, `/api/plans/${f.planId}/slots`, { slots: slotsWith([{ startTime: '15:50', endTime: '18:00' }]) }),
  },
  {
    rule: 'N5-slots',
    severity: 'block',
    change: (c, f) => put(c, `/api/plans/${f.planId}/slots`, { slots: slotsWith([], (s) => s.season === 'summer') }),
  },
  {
    rule: 'N5-hours',
    severity: 'block',
    change: (c, f) => put(c, `/api/plans/${f.planId}/slots`, { slots: slotsWith([{}, { startTime: '16:30' }]) }),
  },
  {
    rule: 'N5-days',
    severity: 'block',
    change: (c, f, os) => c.patch(`/api/plans/${f.planId}/offerings/${care(os)}`, { weekdays: [1, 2, 3, 4] }),
  },
  {
    rule: 'N7',
    severity: 'warn',
    change: (c, f) =>
      put(c, `/api/plans/${f.planId}/slots`, {
        slots: [...BASE_SLOTS, { slot: 'late', season: 'summer', gradeBand: 'all', startTime: '18:00', endTime: '18:30' }],
      }),
  },
  { rule: 'R3', severity: 'block', change: (c, f, os) => c.patch(`/api/plans/${f.planId}/offerings/${club(os)}`, { name: '奥数竞赛班' }) },
  {
    rule: 'R3-commercial',
    severity: 'block',
    change: (c, f, os) => c.patch(`/api/plans/${f.planId}/offerings/${club(os)}`, { description: '现场推销球鞋' }),
  },
  {
    rule: 'R3-subject',
    severity: 'warn',
    change: (c, f, os) => c.patch(`/api/plans/${f.planId}/offerings/${club(os)}`, { name: '数学游戏' }),
  },
  {
    rule: 'N9',
    severity: 'warn',
    change: async (c, f) => {
      const slots = [
        ...BASE_SLOTS,
        ...(['summer', 'winter'] as const).map((season) => ({
          slot: 'noon',
          season,
          gradeBand: 'all',
          startTime: '11:50',
          endTime: '13:30',
        })),
      ];
      ok(await put(c, `/api/plans/${f.planId}/slots`, { slots }));
      return c.post(`/api/plans/${f.planId}/offerings`, {
        ...clubOffering(f),
        name: '午托',
        slot: 'noon',
        allocation: 'approval',
        opensAt: null,
        feeMode: 'per_month',
        feeFen: 5000,
      });
    },
  },
  {
    rule: 'N11',
    severity: 'warn',
    change: (c, f, os) => c.patch(`/api/plans/${f.planId}/offerings/${care(os)}`, { category: 'homework' }),
  },
  { rule: 'R9-basis', severity: 'block', change: (c, f) => c.patch(`/api/plans/${f.planId}`, { feeBasis: '' }) },
  { rule: 'R9-phone', severity: 'block', change: (c, f) => c.patch(`/api/plans/${f.planId}`, { complaintPhone: '' }) },
  { rule: 'L2', severity: 'block', change: (c, f, os) => c.patch(`/api/plans/${f.planId}/offerings/${care(os)}`, { feeFen: 40_000 }) },
  {
    rule: 'N17',
    severity: 'warn',
    change: (c, f, os) => c.patch(`/api/plans/${f.planId}/offerings/${club(os)}`, { providerName: '某体育俱乐部' }),
  },
  { rule: 'R5-group', severity: 'warn', change: (c, f, os) => c.patch(`/api/plans/${f.planId}/offerings/${care(os)}`, { capacity: 80 }) },
  {
    rule: 'R5-venue',
    severity: 'block',
    change: async (c, f) => {
      const tiny = ok<{ id: string }>(
        await c.post('/api/venues', { campusId: f.campusId, name: `小活动室${Date.now()}`, kind: 'function', capacity: 10 }),
      );
      return c.post(`/api/plans/${f.planId}/offerings`, { ...clubOffering(f), name: '围棋', venueId: tiny.id });
    },
  },
  {
    rule: 'R5-venue-shared',
    severity: 'warn',
    change: (c, f) => c.post(`/api/plans/${f.planId}/offerings`, { ...clubOffering(f), name: '篮球', venueId: f.room, weekdays: [2] }),
  },
  {
    rule: 'R5-teacher',
    severity: 'warn',
    change: (c, f, os) => c.patch(`/api/plans/${f.planId}/offerings/${club(os)}`, { teacherStaffId: null }),
  },
  {
    rule: 'R11',
    severity: 'block',
    change: (c, f, os) => c.patch(`/api/plans/${f.planId}/offerings/${club(os)}`, { teacherStaffId: f.pending }),
  },
  { rule: 'N2-safety', severity: 'block', change: (c, f) => c.patch(`/api/plans/${f.planId}`, { safetyMeasures: ' ' }) },
  {
    rule: 'N2-complaint',
    severity: 'block',
    change: (c, f) => c.patch(`/api/plans/${f.planId}`, { complaintPhone: '', complaintChannel: '' }),
  },
  { rule: 'N2-times', severity: 'block', change: (c, f, os) => c.patch(`/api/plans/${f.planId}/offerings/${club(os)}`, { slot: 'late' }) },
  { rule: 'N2-window', severity: 'warn', change: (c, f) => c.patch(`/api/terms/${f.termId}`, { applyOpensAt: null, applyClosesAt: null }) },
];

describeEachDb('plan rules over HTTP', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let f: Fixture;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    admin = await login(env.app, 'admin');
    f = await springPlan(env.database.db, admin);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('the base plan passes every rule', async () => {
    expect(ok(await admin.get(`/api/plans/${f.planId}/check`))).toEqual({ findings: [], blocking: 0 });
  });

  it('the rule catalogue lists each rule with its source', async () => {
    const rules = ok<{ id: string; source: string }[]>(await admin.get('/api/plans/rules'));
    for (const c of CASES) expect(rules.map((r) => r.id)).toContain(c.rule);
    expect(rules.map((r) => r.id)).toContain('R12');
  });

  describe.each(CASES)('$rule', (c) => {
    it(`a change that breaks ${c.rule} gives its finding (${c.severity}); the reset clears it`, async () => {
      const plan = ok<{ offerings: { id: string; name: string }[] }>(await admin.get(`/api/plans/${f.planId}`));
      ok(await c.change(admin, f, plan.offerings));
      const { findings, blocking } = ok<{ findings: { id: string; severity: string; source: string; path: string }[]; blocking: number }>(
        await admin.get(`/api/plans/${f.planId}/check`),
      );
      const mine = findings.filter((x) => x.id === c.rule);
      expect(mine.length, JSON.stringify(findings)).toBeGreaterThan(0);
      expect(mine.every((x) => x.severity === c.severity && x.source.length > 5 && x.path)).toBe(true);
      if (c.severity === 'block') {
        const res = await admin.post(`/api/plans/${f.planId}/submit`);
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('PLAN_BLOCKED');
        expect(res.body.details.map((x: { id: string }) => x.id)).toContain(c.rule);
        expect(res.body.details.length).toBe(blocking);
      }
      await resetPlan(admin, f);
      expect(ok<{ findings: unknown[] }>(await admin.get(`/api/plans/${f.planId}/check`)).findings).toEqual([]);
    });
  });

  it('nothing was submitted: no version rows, the plan is still a draft', async () => {
    const plan = ok<{ status: string; versions: unknown[] }>(await admin.get(`/api/plans/${f.planId}`));
    expect(plan.status).toBe('draft');
    expect(plan.versions).toEqual([]);
  });
});
