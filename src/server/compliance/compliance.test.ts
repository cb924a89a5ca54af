/** Each rule, broken one at a time from a plan that passes them all. */
import { describe, expect, it } from 'vitest';
import { FIELD, goodPlan, TEACHER } from './fixtures';
import { blocking, checkPlan, PLAN_RULES, publicationFindings, RULE_CATALOGUE } from './index';
import type { PlanCheckInput } from './types';
import { yearBefore } from './staff';

/** checkPlan, and every finding it gives is also in English (no Chinese outside the quoted names). */
const checked = (input: PlanCheckInput) => {
  const findings = checkPlan(input);
  for (const f of findings) {
    expect(f.messageEn?.replace(/“[^”]*”/g, ''), f.message).toMatch(/^[^\u4e00-\u9fff]{10,}$/);
    expect(f.sourceEn, f.id).toMatch(/^[^\u4e00-\u9fff]{5,}$/);
  }
  return findings;
};
const ids = (input: PlanCheckInput) => checked(input).map((f) => `${f.id}:${f.severity}`);
const only = (input: PlanCheckInput, id: string) => checked(input).filter((f) => f.id === id);
const edit = (fn: (p: PlanCheckInput) => void) => {
  const p = goodPlan();
  fn(p);
  return p;
};

describe('compliance rules', () => {
  it('the fixture plan passes every rule', () => {
    expect(checkPlan(goodPlan())).toEqual([]);
  });

  it('every rule has a unique id, a source and a title', () => {
    const all = RULE_CATALOGUE.map((r) => r.id);
    expect(new Set(all).size).toBe(all.length);
    for (const r of RULE_CATALOGUE) {
      expect(r.source.length).toBeGreaterThan(5);
      expect(r.title.length).toBeGreaterThan(1);
      expect(r.titleEn).toMatch(/^[A-Z]/);
      expect(r.sourceEn.length).toBeGreaterThan(5);
    }
    expect(all).toEqual(
      expect.arrayContaining([
        'R3',
        'R4',
        'R4-stagger',
        'N5-days',
        'N5-hours',
        'N6',
        'R9-basis',
        'R9-phone',
        'L2',
        'R5-group',
        'R5-venue',
        'R11',
        'N2-safety',
        'N2-complaint',
        'N9',
        'R12',
      ]),
    );
  });

  it('R4: an afternoon ending after the latest end blocks, at the setting', () => {
    const p = edit((p) => {
      p.slots[1].endTime = '18:10';
    });
    const f = only(p, 'R4');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'block', path: 'slots.afternoon.summer.high.endTime' });
    expect(f[0].source).toContain('18:00');
    p.plan.settings.latestEnd = '18:30';
    expect(only(p, 'R4')).toEqual([]);
  });

  it('N6: an afternoon ending before the earliest end warns (grades 1–2 allowed the stagger)', () => {
    const p = edit((p) => {
      p.plan.settings.earliestEnd = '17:30';
    });
    // winter low ends 17:20 ≥ 17:30 − 20 min; winter high 17:40 ≥ 17:30
    expect(only(p, 'N6')).toEqual([]);
    p.slots[3].endTime = '17:20';
    p.slots[3].startTime = '15:10';
    expect(only(p, 'N6').map((f) => f.severity)).toEqual(['warn']);
  });

  it('R4-stagger: grades 1–2 without their earlier end warn', () => {
    const p = edit((p) => {
      p.slots[0].endTime = '17:50';
    });
    expect(only(p, 'R4-stagger')).toMatchObject([{ severity: 'warn', path: 'slots.afternoon.summer.low.endTime' }]);
    const q = edit((p) => {
      p.slots = p.slots.filter((s) => s.gradeBand !== 'low').map((s) => ({ ...s, gradeBand: 'all' as const }));
    });
    expect(only(q, 'R4-stagger').map((f) => f.path)).toEqual(['slots.afternoon.summer.low', 'slots.afternoon.winter.low']);
    q.plan.settings.lowerGradeStaggerMinutes = 0;
    expect(only(q, 'R4-stagger')).toEqual([]);
  });

  it('N5: a season without afternoon times, less than two hours, or a weekday without service block', () => {
    const noWinter = edit((p) => {
      p.slots = p.slots.filter((s) => s.season !== 'winter');
    });
    expect(only(noWinter, 'N5-slots').map((f) => f.path)).toEqual(['slots.afternoon.winter.high', 'slots.afternoon.winter.low']);
    // a term that ends before winter needs no winter times
    noWinter.term.endsOn = '2026-10-30';
    expect(only(noWinter, 'N5-slots')).toEqual([]);

    const short = edit((p) => {
      p.slots[2].startTime = '15:40';
    });
    expect(only(short, 'N5-hours')).toMatchObject([{ severity: 'block', path: 'slots.afternoon.winter.low' }]);

    const noFriday = edit((p) => {
      p.offerings[0].weekdays = [1, 2, 3, 4];
      p.offerings[0].gradeMax = 2;
    });
    const days = only(noFriday, 'N5-days');
    expect(days.map((f) => f.message)).toEqual(['1–2年级周五没有下午课后服务项目', '3–6年级周一、周三、周五没有下午课后服务项目']);
    expect(days.every((f) => f.severity === 'block')).toBe(true);
  });

  it('R3: subject teaching, exam drills and competition training block; subject names only warn', () => {
    for (const word of ['补课', '新课', '奥数', '竞赛', '刷题', '考试', '培优']) {
      const p = edit((p) => {
        p.offerings[1].name = `${word}小组`;
      });
      expect(only(p, 'R3'), word).toMatchObject([{ severity: 'block', path: `offerings.${p.offerings[1].id}.name` }]);
    }
    const desc = edit((p) => {
      p.offerings[0].description = '期末考试冲刺';
    });
    expect(only(desc, 'R3')).toMatchObject([{ path: `offerings.${desc.offerings[0].id}.description` }]);
    const subject = edit((p) => {
      p.offerings[0].name = '数学思维导图';
    });
    expect(only(subject, 'R3')).toEqual([]);
    expect(only(subject, 'R3-subject').map((f) => f.severity)).toEqual(['warn']);
    const sale = edit((p) => {
      p.offerings[1].description = '现场推销球鞋';
    });
    expect(only(sale, 'R3-commercial').map((f) => f.severity)).toEqual(['block']);
  });

  it('R9: a fee needs its basis and the complaint phone; free plans need neither', () => {
    const p = edit((p) => {
      p.plan.feeBasis = ' ';
      p.plan.complaintPhone = '';
    });
    expect(ids(p)).toEqual(expect.arrayContaining(['R9-basis:block', 'R9-phone:block']));
    p.offerings[0].feeMode = 'free';
    p.offerings[0].feeFen = 0;
    expect(only(p, 'R9-basis')).toEqual([]);
    expect(only(p, 'R9-phone')).toEqual([]);
  });

  it('L2: a fee above the local cap blocks; no cap set only warns', () => {
    const p = edit((p) => {
      p.offerings[0].feeFen = 36_001;
    });
    expect(only(p, 'L2')).toMatchObject([{ severity: 'block' }]);
    p.plan.settings.maxFeePerTermFen = 0;
    expect(only(p, 'L2')).toMatchObject([{ severity: 'warn' }]);
    const session = edit((p) => {
      p.offerings[0].feeMode = 'per_session';
      p.offerings[0].feeFen = 350;
    });
    expect(only(session, 'L2')).toEqual([]);
  });

  it('R5: capacity above the group size warns (split), a venue too small or inactive blocks', () => {
    const p = edit((p) => {
      p.offerings[0].capacity = 80;
    });
    expect(only(p, 'R5-group')).toMatchObject([{ severity: 'warn' }]);
    expect(only(p, 'R5-group')[0].message).toContain('3 个组');
    expect(only(p, 'R5-venue')).toEqual([]); // one group of 35 fits 45 seats
    p.venues[0] = { ...p.venues[0], capacity: 30 };
    expect(only(p, 'R5-venue')).toMatchObject([{ severity: 'block', path: `offerings.${p.offerings[0].id}.venueId` }]);
    p.venues[0] = { ...p.venues[0], capacity: 45, active: false };
    expect(only(p, 'R5-venue')).toHaveLength(1);
  });

  it('R5: two offerings sharing a venue beyond its capacity on the same weekday warn', () => {
    const p = edit((p) => {
      p.offerings.push({ ...p.offerings[1], id: '00000000-0000-4000-8000-0000000000d3', name: '乒乓球', capacity: 30 });
      p.venues[1] = { ...FIELD, capacity: 50 };
    });
    const shared = only(p, 'R5-venue-shared');
    expect(shared.map((f) => f.path)).toEqual([`venues.${FIELD.id}.afternoon`]);
    expect(shared[0].message).toContain('周二、周四');
  });

  it('R11: a teacher not cleared, checked over a year ago, or inactive blocks', () => {
    for (const change of [
      { vettingStatus: 'pending' },
      { vettingStatus: 'barred' },
      { vettingCheckedOn: '2025-08-31' },
      { vettingCheckedOn: null },
      { active: false },
    ]) {
      const p = edit((p) => {
        p.staff = [{ ...TEACHER, ...change }];
      });
      const f = only(p, 'R11');
      expect(f.length, JSON.stringify(change)).toBe(2);
      expect(f.every((x) => x.severity === 'block')).toBe(true);
    }
    const exactlyAYear = edit((p) => {
      p.staff = [{ ...TEACHER, vettingCheckedOn: '2025-09-01' }];
    });
    expect(only(exactlyAYear, 'R11')).toEqual([]);
    expect(yearBefore('2028-02-29')).toBe('2027-03-01');
  });

  it('N2: safety measures and a complaint channel must be published', () => {
    const p = edit((p) => {
      p.plan.safetyMeasures = '';
      p.plan.complaintPhone = '';
      p.plan.complaintChannel = '';
      p.plan.feeBasis = '';
      for (const o of p.offerings) Object.assign(o, { feeMode: 'free', feeFen: 0 });
    });
    expect(ids(p)).toEqual(['N2-complaint:block', 'N2-safety:block']);
  });

  it('N2: an offering in a slot without times blocks', () => {
    const p = edit((p) => {
      p.offerings[1].slot = 'late';
    });
    expect(only(p, 'N2-times')).toMatchObject([{ severity: 'block', path: `offerings.${p.offerings[1].id}.slot` }]);
  });

  it('N9: noon care billed as a service warns', () => {
    const p = edit((p) => {
      p.slots.push({ slot: 'noon', season: 'summer', gradeBand: 'all', startTime: '11:50', endTime: '13:30' });
      p.slots.push({ slot: 'noon', season: 'winter', gradeBand: 'all', startTime: '11:50', endTime: '13:30' });
      p.offerings.push({
        ...p.offerings[0],
        id: '00000000-0000-4000-8000-0000000000d9',
        name: '午托',
        slot: 'noon',
        feeMode: 'per_month',
        feeFen: 5000,
      });
    });
    expect(only(p, 'N9')).toMatchObject([{ severity: 'warn' }]);
  });

  it('R12: only a filed version may be published', () => {
    expect(publicationFindings(undefined, 1)).toMatchObject([{ id: 'R12', severity: 'block' }]);
    expect(publicationFindings({ version: 1, status: 'submitted' }, 1)).toHaveLength(1);
    expect(publicationFindings({ version: 1, status: 'returned' }, 1)).toHaveLength(1);
    expect(publicationFindings({ version: 1, status: 'filed' }, 2)).toHaveLength(1);
    expect(publicationFindings({ version: 2, status: 'published' }, 2)).toHaveLength(1);
    expect(publicationFindings({ version: 2, status: 'filed' }, 2)).toEqual([]);
  });

  it('findings list blocking ones first and every rule is a pure function of its input', () => {
    const p = edit((p) => {
      p.offerings[0].capacity = 80;
      p.slots[1].endTime = '18:30';
    });
    const f = checkPlan(p);
    expect(f[0].severity).toBe('block');
    expect(f.at(-1)?.severity).toBe('warn');
    expect(blocking(f).map((x) => x.id)).toEqual(['R4']);
    const before = JSON.stringify(p);
    for (const r of PLAN_RULES) r.check(p);
    expect(JSON.stringify(p)).toBe(before);
  });
});
