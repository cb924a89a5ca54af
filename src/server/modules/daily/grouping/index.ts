/** generateGroups(input): form the groups, staff them with HiGHS, give them rooms, check everything. */
import { checkGrouping } from './check';
import { formGroups } from './form';
import { assignStaff } from './staffing';
import type { GroupingInput, GroupingResult, Violation } from './types';
import { assignVenues } from './venues';

export * from './types';
export { checkGrouping } from './check';

export async function generateGroups(input: GroupingInput): Promise<GroupingResult> {
  const started = Date.now();
  const groups = formGroups(input);
  const staffing = await assignStaff(input, groups);
  assignVenues(input, groups);
  // The checker is the single source of truth for what is wrong; the staffing step's notes (a
  // club's own teacher replaced, say) are reported beside it.
  const violations = dedupe(checkGrouping(input, groups, staffing.duty));
  const pool = input.staff.filter((s) => s.eligible);
  const minutes = pool.map((s) => staffing.minutes[s.id] ?? 0);
  return {
    groups,
    duty: staffing.duty,
    violations,
    notes: staffing.violations.filter((v) => v.code === 'TEACHER_NOT_ELIGIBLE'),
    teacherMinutes: staffing.minutes,
    teacherMinutesSpread: minutes.length ? Math.max(...minutes) - Math.min(...minutes) : 0,
    solver: { status: staffing.status, seconds: (Date.now() - started) / 1000 },
  };
}

function dedupe(vs: Violation[]): Violation[] {
  const seen = new Set<string>();
  return vs.filter((v) => {
    const k = `${v.code}|${v.groupKey ?? ''}|${v.weekday ?? ''}|${v.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
