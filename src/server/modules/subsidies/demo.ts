/**
 * Demo of subsidies and funding: the district's rate per pupil for both schools (school 2 marked
 * remote, above the ordinary cap), school 1's rates per role, and last month's statements from the
 * rota: the teachers checked in on most days (a few sessions left unconfirmed) and the days were
 * closed; the demo care teacher's statement is approved (in the ledger), the others wait.
 */
import { sql } from 'drizzle-orm';
import { schoolDays } from '../../../shared/calendar';
import { monthRange } from '../../../shared/lunch';
import { type Db, queryRows } from '../../db/client';
import type { DemoContext, DemoExtension } from '../../db/demo/extensions';
import { schoolFunding, schools, subsidyRates } from '../../db/schema';
import { todayInChina } from '../enrollment/published';
import { eq } from 'drizzle-orm';
import { termOf } from '../lunch/calendar';
import { previousMonth } from '../lunch/demo';
import { generateMonth, moveStatement } from './statements.service';

export const subsidiesDemo: DemoExtension = async (tx: Db, ctx: DemoContext) => {
  const [s1, s2] = ctx.schoolIds;
  await tx.update(schools).set({ remote: true }).where(eq(schools.id, s2));
  await tx.insert(schoolFunding).values([
    { schoolId: s1, ratePerPupilFen: 45_000, updatedBy: null },
    { schoolId: s2, ratePerPupilFen: 58_000, updatedBy: null },
  ]);
  await tx.insert(subsidyRates).values([
    { schoolId: s1, role: 'care', unit: 'hour', rateFen: 6_000, updatedBy: ctx.accounts.admin },
    { schoolId: s1, role: 'duty', unit: 'hour', rateFen: 4_000, updatedBy: ctx.accounts.admin },
    { schoolId: s1, role: 'external', unit: 'session', rateFen: 15_000, updatedBy: ctx.accounts.admin },
  ]);

  const today = todayInChina(ctx.today);
  const month = previousMonth(today);
  const [t] = await queryRows<{ id: string }>(
    tx,
    sql`SELECT t.id FROM terms t WHERE t.school_id = ${s1} AND t.starts_on <= ${`${month}-28`}::date AND t.ends_on >= ${`${month}-01`}::date
          AND EXISTS (SELECT 1 FROM care_groups g WHERE g.school_id = t.school_id AND g.term_id = t.id) ORDER BY t.starts_on DESC LIMIT 1`,
  );
  if (!t) return;
  const term = await termOf(tx, s1, t.id);
  const ex = await queryRows<{ day: string; kind: string; asWeekday: number | null }>(
    tx,
    sql`SELECT day::text AS day, kind, as_weekday AS "asWeekday" FROM term_days WHERE school_id = ${s1} AND term_id = ${t.id}`,
  );
  const { from, to } = monthRange(month);
  const days = schoolDays(term, ex).filter((d) => d.date >= from && d.date <= to);
  if (days.length === 0) return;
  // check-ins by each group's teacher, except every 17th session (forgotten: shown as unconfirmed)
  const groups = await queryRows<{ id: string; weekday: number; account_id: string | null }>(
    tx,
    sql`SELECT g.id, g.weekday, s.account_id FROM care_groups g JOIN staff s ON s.school_id = g.school_id AND s.id = g.teacher_staff_id
         WHERE g.school_id = ${s1} AND g.term_id = ${t.id} ORDER BY g.key, g.weekday`,
  );
  const rows: string[] = [];
  let n = 0;
  for (const d of days)
    for (const g of groups) {
      if (g.weekday !== d.weekday || !g.account_id) continue;
      if (++n % 17 === 0) continue;
      rows.push(`('${s1}', '${d.date}', '${g.id}', '${g.account_id}', '${d.date} 16:05:00+08')`);
    }
  for (let i = 0; i < rows.length; i += 500)
    await tx.execute(
      sql.raw(
        `INSERT INTO teacher_checkins (school_id, day, group_id, account_id, at) VALUES ${rows.slice(i, i + 500).join(',')} ON CONFLICT DO NOTHING`,
      ),
    );
  for (const d of days)
    await tx.execute(
      sql`INSERT INTO day_closures (school_id, day, closed_at) VALUES (${s1}, ${d.date}::date, ${`${d.date} 18:20:00+08`}::timestamptz) ON CONFLICT DO NOTHING`,
    );

  await generateMonth(tx, s1, t.id, month, today);
  const [mine] = await queryRows<{ id: string }>(
    tx,
    sql`SELECT x.id FROM subsidy_statements x JOIN staff s ON s.school_id = x.school_id AND s.id = x.staff_id
         WHERE x.school_id = ${s1} AND x.month = ${month} AND s.account_id = ${ctx.accounts.teacher} AND x.amount_fen > 0`,
  );
  if (mine) await moveStatement(tx, s1, mine.id, 'approve', ctx.accounts.admin);
};
