/**
 * Who teaches which group and who leads each day (R5), solved as a small mixed-integer programme
 * with HiGHS: for every campus × weekday × slot choose as many teachers as there are groups, and
 * for every weekday enough duty leaders (one per four groups, at least two), never booking anyone
 * twice, never an ineligible (unvetted, barred) person, balancing everyone's minutes (min max − min).
 * Shortages do not make the model infeasible: slack variables with a large cost become violations.
 */
import loadHighs from 'highs';
import type { Slot } from '../../../../shared/plans';
import { slotKey } from './form';
import type { DutyAssignment, Group, GroupingInput, Violation } from './types';

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highsPromise: Promise<Highs> | null = null;
/** The wasm solver loads once per process. */
const highs = () => (highsPromise ??= loadHighs());

interface Need {
  campusId: string;
  weekday: number;
  slot: Slot;
  groups: Group[];
}

class LpWriter {
  private cols: string[] = [];
  readonly binaries: string[] = [];
  readonly general: string[] = [];
  readonly rows: string[] = [];
  objective: string[] = [];
  col(binary = true) {
    const name = `x${this.cols.length}`;
    this.cols.push(name);
    if (binary) this.binaries.push(name);
    return name;
  }
  row(terms: string[], op: '<=' | '>=' | '=', rhs: number) {
    if (terms.length === 0) return;
    this.rows.push(`r${this.rows.length}: ${wrap(terms)} ${op} ${rhs}`);
  }
  text(): string {
    return [
      'Minimize',
      ` obj: ${this.objective.length ? wrap(this.objective) : '0 x0'}`,
      'Subject To',
      ...this.rows.map((r) => ` ${r}`),
      'Binary',
      ...chunkNames(this.binaries),
      'End',
    ].join('\n');
  }
}

/** "+ 3 x1 - x2 …" broken into short lines (LP readers do not like very long ones). */
function wrap(terms: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < terms.length; i += 12) out.push(terms.slice(i, i + 12).join(' '));
  return out.join('\n   ');
}
const chunkNames = (names: string[]) => {
  const out: string[] = [];
  for (let i = 0; i < names.length; i += 20) out.push(` ${names.slice(i, i + 20).join(' ')}`);
  return out;
};
const term = (coef: number, v: string) => `${coef >= 0 ? '+' : '-'} ${Math.abs(coef)} ${v}`;

export interface StaffingResult {
  duty: DutyAssignment[];
  violations: Violation[];
  minutes: Record<string, number>;
  status: string;
}

export async function assignStaff(input: GroupingInput, groups: Group[]): Promise<StaffingResult> {
  const violations: Violation[] = [];
  const staff = new Map(input.staff.map((s) => [s.id, s]));
  const offerings = new Map(input.offerings.map((o) => [o.id, o]));
  const minutes: Record<string, number> = {};
  for (const s of input.staff) if (s.eligible) minutes[s.id] = 0;
  const busy = new Set<string>(); // `${staff}|${weekday}:${slot}`
  const needs = new Map<string, Need>();

  // Clubs keep their own teacher (or provider) for their first group; extra groups need staffing.
  for (const g of [...groups].sort((a, b) => a.key.localeCompare(b.key))) {
    const o = offerings.get(g.offeringId);
    const fixed = o?.kind === 'club' ? o.teacherStaffId : null;
    const fixedKey = fixed ? `${fixed}|${slotKey(g.weekday, g.slot)}` : '';
    if (fixed && !busy.has(fixedKey)) {
      const s = staff.get(fixed);
      const sameCampus = s?.campusId === null || s?.campusId === g.campusId;
      if (s?.eligible && sameCampus && !s.unavailable.includes(slotKey(g.weekday, g.slot))) {
        g.teacherStaffId = fixed;
        busy.add(fixedKey);
        minutes[fixed] = (minutes[fixed] ?? 0) + input.slotMinutes[g.slot];
        continue;
      }
      // A group on another campus simply gets a local teacher; an unusable own teacher is worth a note.
      if (sameCampus) {
        violations.push({
          code: 'TEACHER_NOT_ELIGIBLE',
          rule: 'R11',
          message: `${o?.name ?? ''} 的指定教师不可安排（未通过审查或不在岗），已改由其他教师`,
          weekday: g.weekday,
          slot: g.slot,
          groupKey: g.key,
        });
      }
    }
    if (o?.kind === 'club' && !o.teacherStaffId && o.providerName) {
      g.providerName = o.providerName;
      continue;
    }
    const k = `${g.campusId}|${g.weekday}|${g.slot}`;
    const need = needs.get(k) ?? { campusId: g.campusId, weekday: g.weekday, slot: g.slot, groups: [] };
    need.groups.push(g);
    needs.set(k, need);
  }

  const pool = input.staff.filter((s) => s.eligible);
  const weekdays = [...new Set(groups.map((g) => g.weekday))].sort();
  const dutyNeeded = new Map<number, number>();
  for (const w of weekdays) {
    const perSlot = new Map<string, number>();
    for (const g of groups) if (g.weekday === w) perSlot.set(g.slot, (perSlot.get(g.slot) ?? 0) + 1);
    const most = Math.max(0, ...perSlot.values());
    dutyNeeded.set(w, most === 0 ? 0 : Math.max(input.settings.minDutyPerDay, Math.ceil(most / input.settings.groupsPerDuty)));
  }
  // The fair share of minutes, for the convex cost below.
  const demand =
    [...needs.values()].reduce((sum, n) => sum + n.groups.length * input.slotMinutes[n.slot], 0) +
    [...dutyNeeded.values()].reduce((sum, n) => sum + n * input.slotMinutes.afternoon, 0) +
    Object.values(minutes).reduce((a, b) => a + b, 0);
  const fair = pool.length ? demand / pool.length : 0;

  // One small model per weekday × slot, the scarce afternoon first: teachers to campuses' groups,
  // duty leaders for the afternoon, each person at most one place. The cost of giving someone
  // `m` more minutes is the increase of a convex function of their load, so minutes spread out
  // across the week; keeping yesterday's campus and slot is a little cheaper (stability).
  const slotsOrder: Slot[] = ['afternoon', 'late', 'morning', 'noon'];
  const chosen = new Map<string, string[]>(); // need key → staff ids
  const duty: DutyAssignment[] = [];
  const lastPlace = new Map<string, string>(); // staff → `${campus}|${slot}` of the previous weekday
  const statuses = new Set<string>();
  const started = Date.now();
  const solver = await highs();
  for (const w of weekdays) {
    const today = new Map<string, string>();
    for (const slot of slotsOrder) {
      const here = [...needs.entries()].filter(([, n]) => n.weekday === w && n.slot === slot);
      const dutyCount = slot === 'afternoon' ? (dutyNeeded.get(w) ?? 0) : 0;
      if (here.length === 0 && dutyCount === 0) continue;
      const lp = new LpWriter();
      const perNeed = new Map<string, { staffId: string; v: string }[]>();
      const perStaff = new Map<string, string[]>();
      const dutyVars: { staffId: string; v: string }[] = [];
      const m = input.slotMinutes[slot];
      for (const s of pool) {
        const at = slotKey(w, slot);
        if (s.unavailable.includes(at) || busy.has(`${s.id}|${at}`)) continue;
        const base = marginal(minutes[s.id] ?? 0, m, fair);
        for (const [k, need] of here) {
          if (s.campusId !== null && s.campusId !== need.campusId) continue;
          const v = lp.col();
          const stay = lastPlace.get(s.id) === `${need.campusId}|${slot}` ? 0.6 : 1;
          lp.objective.push(term(round(base * stay), v));
          perNeed.set(k, [...(perNeed.get(k) ?? []), { staffId: s.id, v }]);
          perStaff.set(s.id, [...(perStaff.get(s.id) ?? []), v]);
        }
        if (dutyCount > 0 && s.canDuty) {
          const v = lp.col();
          lp.objective.push(term(round(base), v));
          dutyVars.push({ staffId: s.id, v });
          perStaff.set(s.id, [...(perStaff.get(s.id) ?? []), v]);
        }
      }
      for (const [k, need] of here) {
        const short = lp.col(false);
        lp.objective.push(term(PENALTY, short));
        lp.row([...(perNeed.get(k) ?? []).map((x) => term(1, x.v)), term(1, short)], '=', need.groups.length);
      }
      if (dutyCount > 0) {
        const short = lp.col(false);
        lp.objective.push(term(PENALTY, short));
        lp.row([...dutyVars.map((x) => term(1, x.v)), term(1, short)], '>=', dutyCount);
      }
      for (const vars of perStaff.values())
        if (vars.length > 1)
          lp.row(
            vars.map((v) => term(1, v)),
            '<=',
            1,
          );
      // A transportation problem: the simplex optimum is a vertex, hence integral; no branch and bound needed.
      const solution = solver.solve(lp.text(), { output_flag: false, solver: 'simplex', time_limit: input.settings.timeLimitSeconds });
      statuses.add(solution.Status);
      const columns = (solution as unknown as { Columns?: Record<string, { Primal?: number }> }).Columns ?? {};
      const on = (v: string) => (columns[v]?.Primal ?? 0) > 0.5;
      for (const [k, need] of here) {
        const ids = (perNeed.get(k) ?? []).filter((x) => on(x.v)).map((x) => x.staffId);
        chosen.set(k, ids);
        for (const id of ids) {
          busy.add(`${id}|${slotKey(w, slot)}`);
          today.set(id, `${need.campusId}|${slot}`);
        }
      }
      for (const x of dutyVars.filter((d) => on(d.v))) {
        duty.push({ weekday: w, staffId: x.staffId });
        busy.add(`${x.staffId}|${slotKey(w, slot)}`);
        minutes[x.staffId] = (minutes[x.staffId] ?? 0) + m;
      }
      // Teachers' minutes for this slot are added when groups are handed out below.
      for (const [k] of here) for (const id of chosen.get(k) ?? []) minutes[id] = (minutes[id] ?? 0) + m;
    }
    for (const [id, place] of today) lastPlace.set(id, place);
    const count = duty.filter((d) => d.weekday === w).length;
    const needed = dutyNeeded.get(w) ?? 0;
    if (count < needed) {
      violations.push({
        code: 'TOO_FEW_DUTY',
        rule: 'R5',
        message: `周${'一二三四五'[w - 1]}需要 ${needed} 名值班领导，只安排了 ${count} 名`,
        weekday: w,
      });
    }
  }
  placeTeachers(needs, chosen, violations);
  const status = `${[...statuses].join(', ') || 'Optimal'} (${((Date.now() - started) / 1000).toFixed(2)}s)`;
  return { duty, violations, minutes, status };
}

const PENALTY = 100_000;
const round = (x: number) => Math.round(x * 100) / 100;

/** f(load + m) − f(load) for a convex cost f of a person's minutes around the fair share. */
function marginal(load: number, m: number, fair: number): number {
  const f = (x: number) => {
    const share = fair || 1;
    const r = x / share;
    return x + 3 * Math.max(0, x - share) + 12 * Math.max(0, x - 1.25 * share) + (r > 1.6 ? 50 * (x - 1.6 * share) : 0);
  };
  return f(load + m) - f(load) + 1;
}

/** Within each campus × weekday × slot, hands the chosen teachers to the groups, keeping a group's
 * teacher from one weekday to the next where possible (pupils see the same face). */
function placeTeachers(needs: Map<string, Need>, chosen: Map<string, string[]>, violations: Violation[]) {
  const lastTeacher = new Map<string, string>(); // group key → staff
  const ordered = [...needs.entries()].sort((a, b) => a[1].weekday - b[1].weekday || a[0].localeCompare(b[0]));
  for (const [k, need] of ordered) {
    const free = [...(chosen.get(k) ?? [])];
    const unplaced: Group[] = [];
    for (const g of [...need.groups].sort((a, b) => a.key.localeCompare(b.key))) {
      const prev = lastTeacher.get(g.key);
      const at = prev ? free.indexOf(prev) : -1;
      if (at >= 0) g.teacherStaffId = free.splice(at, 1)[0];
      else unplaced.push(g);
    }
    for (const g of unplaced) {
      const t = free.shift();
      if (!t) {
        violations.push({
          code: 'NO_TEACHER',
          rule: 'R5',
          message: `没有可安排的教师：${g.key}`,
          weekday: g.weekday,
          slot: g.slot,
          groupKey: g.key,
        });
        continue;
      }
      g.teacherStaffId = t;
    }
    for (const g of need.groups) if (g.teacherStaffId) lastTeacher.set(g.key, g.teacherStaffId);
  }
}
