/**
 * `npm run bench -- grouping`: care groups for a 3,000-pupil school (5 weekdays × 3 slots, 120
 * staff, 40 venues) — formation, HiGHS staffing, rooms and the full constraint check. Prints one
 * JSON line; the solver is loaded and warmed once first (a process does that at start-up).
 */
import { generateGroups } from '../src/server/modules/daily/grouping';
import { syntheticSchool } from '../src/server/modules/daily/grouping/synthetic';

export default async function grouping(args: string[]) {
  const pupils = Number(args[0] ?? 3000);
  const input = syntheticSchool({ pupils, staff: 120, venues: 40, seed: 2026 });
  await generateGroups(syntheticSchool({ pupils: 200, staff: 20, venues: 10, seed: 1 }));
  const runs: number[] = [];
  let last: Awaited<ReturnType<typeof generateGroups>> | undefined;
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    last = await generateGroups(input);
    runs.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  if (!last) return;
  runs.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      name: 'grouping',
      pupils,
      weekdays: 5,
      slots: 3,
      staff: input.staff.length,
      venues: input.venues.length,
      enrolments: input.enrolments.length,
      seconds: Number(runs[1].toFixed(3)),
      seconds_min: Number(runs[0].toFixed(3)),
      groups: last.groups.length,
      duty_assignments: last.duty.length,
      violations: last.violations.length,
      teacher_hours_spread: Number((last.teacherMinutesSpread / 60).toFixed(2)),
      solver: last.solver.status,
    }),
  );
}
