/**
 * A month's rota sessions, confirmed or not: each care group's teacher on the group's weekday
 * (a check-in by that teacher confirms it; a check-in by another member of staff — a substitute —
 * is that person's confirmed session), and each duty leader on their weekday (confirmed when the
 * day was closed). Session minutes come from the plan's slot times for the day's season.
 * Days after today are not counted: nobody has worked them yet.
 */
import { sql } from 'drizzle-orm';
import { minutesBetween, type RotaSession } from '../../../shared/subsidies';
import { type Db, queryRows } from '../../db/client';
import { todayInChina } from '../enrollment/published';
import { monthDays, type TermRow } from '../lunch/calendar';

const SLOT_ZH: Record<string, string> = { morning: '早托', noon: '午托', afternoon: '课后', late: '延时' };

export async function monthSessions(db: Db, schoolId: string, term: TermRow, month: string, today = todayInChina()) {
  const days = (await monthDays(db, schoolId, term, month)).filter((d) => d.date <= today);
  if (days.length === 0) return { sessions: [] as RotaSession[], external: new Set<string>(), days: 0 };
  const from = days[0].date;
  const to = days[days.length - 1].date;
  const slots = await queryRows<{ slot: string; season: string; band: string; start: string; end: string }>(
    db,
    sql`SELECT ps.slot, ps.season, ps.grade_band AS band, ps.start_time::text AS start, ps.end_time::text AS "end"
          FROM plan_slots ps JOIN plans p ON p.school_id = ps.school_id AND p.id = ps.plan_id
         WHERE p.school_id = ${schoolId} AND p.term_id = ${term.id}`,
  );
  const minutesOf = (slot: string, season: string, band: string) => {
    const s =
      slots.find((x) => x.slot === slot && x.season === season && x.band === band) ??
      slots.find((x) => x.slot === slot && x.season === season && x.band === 'all') ??
      slots.find((x) => x.slot === slot && x.season === season);
    return s ? minutesBetween(s.start, s.end) : 60;
  };
  const groups = await queryRows<{ id: string; weekday: number; slot: string; band: string; staffId: string | null; name: string }>(
    db,
    sql`SELECT g.id, g.weekday, g.slot, g.band, g.teacher_staff_id AS "staffId", o.name
          FROM care_groups g JOIN offerings o ON o.school_id = g.school_id AND o.id = g.offering_id
         WHERE g.school_id = ${schoolId} AND g.term_id = ${term.id}`,
  );
  const checkins = await queryRows<{ day: string; groupId: string; staffId: string | null }>(
    db,
    // the group's own teacher when their account checked in; otherwise the substitute's staff row
    // (one account may have several staff rows: the first, so the result is stable)
    sql`SELECT c.day::text AS day, c.group_id AS "groupId",
               CASE WHEN t.account_id = c.account_id THEN t.id
                    ELSE (SELECT s.id FROM staff s WHERE s.school_id = c.school_id AND s.account_id = c.account_id ORDER BY s.id LIMIT 1) END AS "staffId"
          FROM teacher_checkins c
          JOIN care_groups g ON g.school_id = c.school_id AND g.id = c.group_id
          LEFT JOIN staff t ON t.school_id = g.school_id AND t.id = g.teacher_staff_id
         WHERE c.school_id = ${schoolId} AND c.day BETWEEN ${from}::date AND ${to}::date`,
  );
  const checkedBy = new Map(checkins.map((c) => [`${c.day}|${c.groupId}`, c.staffId]));
  const duty = await queryRows<{ weekday: number; staffId: string }>(
    db,
    sql`SELECT weekday, staff_id AS "staffId" FROM duty_assignments WHERE school_id = ${schoolId} AND term_id = ${term.id}`,
  );
  const closed = new Set(
    (
      await queryRows<{ day: string }>(
        db,
        sql`SELECT day::text AS day FROM day_closures WHERE school_id = ${schoolId} AND day BETWEEN ${from}::date AND ${to}::date`,
      )
    ).map((r) => r.day),
  );
  const external = new Set(
    (await queryRows<{ id: string }>(db, sql`SELECT id FROM staff WHERE school_id = ${schoolId} AND kind = 'external'`)).map((r) => r.id),
  );

  const sessions: RotaSession[] = [];
  for (const d of days) {
    for (const g of groups) {
      if (g.weekday !== d.weekday) continue;
      const minutes = minutesOf(g.slot, d.season, g.band);
      const label = `${SLOT_ZH[g.slot] ?? g.slot} ${g.name}`;
      const key = `${d.date}|${g.id}`;
      const by = checkedBy.get(key);
      if (by) sessions.push({ staffId: by, date: d.date, role: 'care', minutes, confirmed: true, label });
      else if (checkedBy.has(key))
        continue; // checked in by an account that is not staff: nobody is paid
      else if (g.staffId) sessions.push({ staffId: g.staffId, date: d.date, role: 'care', minutes, confirmed: false, label });
    }
    const afternoon = minutesOf('afternoon', d.season, 'all');
    const late = slots.some((s) => s.slot === 'late') ? minutesOf('late', d.season, 'all') : 0;
    for (const x of duty)
      if (x.weekday === d.weekday)
        sessions.push({
          staffId: x.staffId,
          date: d.date,
          role: 'duty',
          minutes: afternoon + late,
          confirmed: closed.has(d.date),
          label: '值班',
        });
  }
  return { sessions, external, days: days.length };
}
