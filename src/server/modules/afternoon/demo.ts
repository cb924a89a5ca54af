/**
 * Demo of the family side of the afternoon (after dailyDemo, school 1): in the demo teacher's group
 * today, the pupil the teacher marked 请假 has the leave the homeroom teacher recorded from a call;
 * another pupil is collected today by a substitute the guardian announced; the homeroom teacher's
 * notes (medicine, early pick-up) and 已移交 for 一(1)班; the duty leader's headcounts (one that
 * matches, one a pupil short). The demo parent's child has leave for the next school day waiting for
 * approval, and is left in care so a newcomer can try the pick-up code.
 */
import { sql } from 'drizzle-orm';
import { permissionsOf, type Role } from '../../../shared/permissions';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import type { DemoContext, DemoExtension } from '../../db/demo/extensions';
import { newId } from '../../lib/ids';
import { schoolDay, todayInChina } from '../daily/days';
import { createLeave } from './leave.service';

const actorOf = (accountId: string, displayName: string, role: Role, schoolId: string): Actor => ({
  accountId,
  displayName,
  sessionHash: '',
  csrfToken: '',
  schoolId,
  districtId: null,
  roles: [role],
  permissions: permissionsOf([role]),
  ip: '127.0.0.1',
});

const plus = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export const afternoonDemo: DemoExtension = async (tx: Db, ctx: DemoContext) => {
  const s1 = ctx.schoolIds[0];
  const day = todayInChina(ctx.today);
  const sd = await schoolDay(tx, s1, day);
  if (!sd.weekday) return;
  const pupils = await queryRows<{
    id: string;
    name: string;
    status: string;
    handover: string;
    homeroom: boolean;
    guardian: string | null;
    parent: boolean;
    group_id: string;
  }>(
    tx,
    sql`SELECT s.id, s.name, a.status, a.handover, a.group_id, (h.account_id = ${ctx.accounts.homeroom}) AS homeroom,
               (SELECT g.account_id FROM student_guardians sg JOIN guardians g ON g.school_id = sg.school_id AND g.id = sg.guardian_id
                 WHERE sg.school_id = s.school_id AND sg.student_id = s.id AND g.account_id IS NOT NULL ORDER BY sg.is_primary DESC LIMIT 1) AS guardian,
               EXISTS (SELECT 1 FROM student_guardians sg JOIN guardians g ON g.school_id = sg.school_id AND g.id = sg.guardian_id
                 WHERE sg.school_id = s.school_id AND sg.student_id = s.id AND g.account_id = ${ctx.accounts.parent}) AS parent
          FROM attendance a JOIN care_groups cg ON cg.school_id = a.school_id AND cg.id = a.group_id
          -- the group dailyDemo gave the demo teacher today (checked in there), whoever the timetable names
          JOIN teacher_checkins ck ON ck.school_id = cg.school_id AND ck.group_id = cg.id AND ck.day = a.day AND ck.account_id = ${ctx.accounts.teacher}
          JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
          JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id LEFT JOIN staff h ON h.school_id = c.school_id AND h.id = c.homeroom_staff_id
         WHERE a.school_id = ${s1} AND a.day = ${day}::date AND cg.slot = 'afternoon'
         ORDER BY s.grade, c.name, s.student_no`,
  );
  if (pupils.length < 4) return;
  const homeroom = actorOf(ctx.accounts.homeroom, '王老师（班主任）', 'homeroom', s1);
  const admin = actorOf(ctx.accounts.admin, '学校管理办公室', 'school_admin', s1);
  const homeroomAcc = async (p: { homeroom: boolean }) => (p.homeroom ? ctx.accounts.homeroom : null);

  // the pupil marked 请假 by the teacher: the leave recorded from the guardian's call
  const onLeave = pupils.find((p) => p.status === 'leave');
  if (onLeave)
    await createLeave(
      tx,
      onLeave.homeroom ? homeroom : admin,
      s1,
      {
        studentId: onLeave.id,
        studentName: onLeave.name,
        homeroomAccount: await homeroomAcc(onLeave),
        fromDay: day,
        toDay: day,
        slots: ['afternoon'],
        reason: '家长来电：孩子发烧，中午已接回',
      },
      { source: 'call', approver: 'homeroom' },
    );
  // the demo parent's child: leave for the next weekday, asked in the app, waiting for the homeroom teacher
  const child = pupils.find((p) => p.parent);
  if (child) {
    let next = plus(day, 1);
    while ([0, 6].includes(new Date(`${next}T00:00:00Z`).getUTCDay())) next = plus(next, 1);
    await createLeave(
      tx,
      actorOf(ctx.accounts.parent, '张秀英', 'guardian', s1),
      s1,
      {
        studentId: child.id,
        studentName: child.name,
        homeroomAccount: await homeroomAcc(child),
        fromDay: next,
        toDay: next,
        slots: ['afternoon'],
        reason: '去医院复查',
      },
      { source: 'app', approver: 'homeroom' },
    );
  }
  const free = pupils.filter((p) => p !== child && p.handover === 'none' && (p.status === 'present' || p.status === 'late'));
  // a substitute announced for today by a guardian (P1)
  const subFor = free.find((p) => p.guardian);
  if (subFor?.guardian)
    await tx.execute(sql`INSERT INTO pickup_substitutes (school_id, id, student_id, day, name, phone, relation, id_last4, announced_by)
                         VALUES (${s1}, ${newId()}, ${subFor.id}, ${day}::date, '刘桂兰', '13987650001', '邻居', '215X', ${subFor.guardian})`);
  // the homeroom teacher's notes for today and the class handed over
  const mine = pupils.filter((p) => p.homeroom && p !== onLeave);
  const notes: [string, string][] = [
    ['medicine', '16:00 吃一次感冒药，药在书包侧袋'],
    ['early_pickup', '17:00 奶奶提前来接（去上钢琴课）'],
  ];
  for (const [i, p] of mine.slice(0, 2).entries())
    await tx.execute(sql`INSERT INTO handover_notes (school_id, id, day, student_id, kind, text, written_by)
                         VALUES (${s1}, ${newId()}, ${day}::date, ${p.id}, ${notes[i][0]}, ${notes[i][1]}, ${ctx.accounts.homeroom})`);
  if (subFor?.homeroom)
    await tx.execute(sql`INSERT INTO handover_notes (school_id, id, day, student_id, kind, text, written_by)
                         VALUES (${s1}, ${newId()}, ${day}::date, ${subFor.id}, 'substitute', '今天由邻居刘桂兰代接，家长已在 App 登记', ${ctx.accounts.homeroom})`);
  await tx.execute(sql`INSERT INTO class_handovers (school_id, day, class_id, pupils, handed_by)
                       SELECT c.school_id, ${day}::date, c.id, count(DISTINCT a.student_id)::int, ${ctx.accounts.homeroom}
                         FROM classes c JOIN staff h ON h.school_id = c.school_id AND h.id = c.homeroom_staff_id
                         JOIN students s ON s.school_id = c.school_id AND s.class_id = c.id
                         JOIN attendance a ON a.school_id = s.school_id AND a.student_id = s.id AND a.day = ${day}::date AND a.status <> 'leave'
                        WHERE c.school_id = ${s1} AND h.account_id = ${ctx.accounts.homeroom}
                        GROUP BY c.school_id, c.id
                       ON CONFLICT DO NOTHING`);
  // the duty leader's line-up counts: the demo group matches, the next group is one short
  const groups = await queryRows<{ id: string; campus_id: string; expected: number }>(
    tx,
    sql`SELECT g.id, g.campus_id, count(*) FILTER (WHERE a.status <> 'leave')::int AS expected
          FROM care_groups g JOIN attendance a ON a.school_id = g.school_id AND a.group_id = g.id AND a.day = ${day}::date
         WHERE g.school_id = ${s1} AND g.slot = 'afternoon'
         GROUP BY g.school_id, g.id ORDER BY g.id = ${pupils[0].group_id} DESC, g.key LIMIT 2`,
  );
  for (const [i, g] of groups.entries())
    await tx.execute(sql`INSERT INTO headcounts (school_id, day, scope, group_id, campus_id, counted, expected, note, recorded_by)
                         VALUES (${s1}, ${day}::date, ${`g:${g.id}`}, ${g.id}, ${g.campus_id}, ${Math.max(0, g.expected - i)}, ${g.expected},
                                 ${i ? '站队时少一人，已通知班主任核实' : ''}, ${ctx.accounts.duty})`);
};
