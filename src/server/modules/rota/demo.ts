/**
 * Demo of the rota for school 1 (after dailyDemo): a second care teacher login, 'teacher2'
 * (周敏老师, the demo password), free in the afternoon of the demo teacher's weekday; an approved swap
 * (李晓东's afternoon group on the term's second-to-last such school day goes to 周敏) and a pending
 * one (the last, asked by 李晓东, not yet answered). Nothing when the term has no groups.
 */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client';
import type { DemoContext, DemoExtension } from '../../db/demo/extensions';
import { newId } from '../../lib/ids';
import { schoolDay, todayInChina } from '../daily/days';
import { termDays, termRow } from './rota.service';

export const rotaDemo: DemoExtension = async (tx: Db, ctx: DemoContext) => {
  const s1 = ctx.schoolIds[0];
  const today = todayInChina(ctx.today);
  const sd = await schoolDay(tx, s1, today);
  // the demo teacher's afternoon group (dailyDemo gives him one on today's timetable weekday)
  const [mine] = await queryRows<{ staff_id: string; group_id: string; term_id: string; weekday: number; campus_id: string }>(
    tx,
    sql`SELECT st.id AS staff_id, g.id AS group_id, g.term_id, g.weekday, g.campus_id FROM staff st
          JOIN care_groups g ON g.school_id = st.school_id AND g.teacher_staff_id = st.id AND g.slot = 'afternoon'
         WHERE st.school_id = ${s1} AND st.account_id = ${ctx.accounts.teacher}
         ORDER BY g.weekday = ${sd.weekday ?? 0} DESC, g.weekday
         LIMIT 1`,
  );
  if (!mine) return;
  // a vetted own teacher on that campus with no afternoon group and no duty on that weekday
  const [free] = await queryRows<{ id: string }>(
    tx,
    sql`SELECT s.id FROM staff s WHERE s.school_id = ${s1} AND s.kind = 'own' AND s.active AND s.account_id IS NULL
          AND s.vetting_status = 'clear' AND (s.campus_id IS NULL OR s.campus_id = ${mine.campus_id})
          AND NOT EXISTS (SELECT 1 FROM care_groups g WHERE g.school_id = s.school_id AND g.term_id = ${mine.term_id} AND g.weekday = ${mine.weekday}
                            AND g.slot = 'afternoon' AND g.teacher_staff_id = s.id)
          AND NOT EXISTS (SELECT 1 FROM duty_assignments d WHERE d.school_id = s.school_id AND d.term_id = ${mine.term_id} AND d.weekday = ${mine.weekday} AND d.staff_id = s.id)
          AND NOT EXISTS (SELECT 1 FROM classes c WHERE c.school_id = s.school_id AND c.homeroom_staff_id = s.id)
        ORDER BY s.name LIMIT 1`,
  );
  if (!free) return;
  const account = newId();
  await tx.execute(sql`INSERT INTO accounts (id, username, display_name, password_hash)
                       SELECT ${account}, 'teacher2', '周敏老师', password_hash FROM accounts WHERE id = ${ctx.accounts.teacher}`);
  await tx.execute(sql`UPDATE staff SET name = '周敏', account_id = ${account} WHERE school_id = ${s1} AND id = ${free.id}`);
  await tx.execute(sql`INSERT INTO school_roles (school_id, account_id, role) VALUES (${s1}, ${account}, 'teacher')`);

  const term = await termRow(tx, s1, mine.term_id);
  const next = (await termDays(tx, s1, term)).filter((d) => d.date > today && d.weekday === mine.weekday && !d.makeup);
  // the term's last two such days: far from the days that tests and simulations of the afternoon replay
  const [approvedDay, pendingDay] = next.slice(-2).map((d) => d.date);
  const swap = async (day: string, approved: boolean) => {
    const id = newId();
    await tx.execute(sql`INSERT INTO shift_swaps (school_id, id, term_id, requester_staff_id, colleague_staff_id, requested_by, reason, status, accepted_at, decided_by, decided_at, decision_note)
                         VALUES (${s1}, ${id}, ${mine.term_id}, ${mine.staff_id}, ${free.id}, ${ctx.accounts.teacher}, ${approved ? '参加区教研活动' : '孩子家长会'},
                                 ${approved ? 'approved' : 'requested'}, ${approved ? sql`now()` : sql`NULL`}, ${approved ? ctx.accounts.admin : null},
                                 ${approved ? sql`now()` : sql`NULL`}, ${approved ? '同意，已安排' : ''})`);
    await tx.execute(sql`INSERT INTO shift_swap_legs (school_id, swap_id, leg, day, group_id, from_staff_id, to_staff_id)
                         VALUES (${s1}, ${id}, 1, ${day}::date, ${mine.group_id}, ${mine.staff_id}, ${free.id})`);
  };
  if (approvedDay) await swap(approvedDay, true);
  if (pendingDay) await swap(pendingDay, false);
};
