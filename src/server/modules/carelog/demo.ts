/**
 * The care log in the demo (after dailyDemo): today two patrols of the duty leader, activity records
 * of two groups, one minor incident in the demo teacher's group that the duty leader acknowledged
 * and closed; grade heads for grades 1–2; a webhook channel filled in but switched off (a newcomer
 * sees where it goes; switched on, its address answers nothing and the outbox shows the retries).
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import type { DemoContext } from '../../db/demo/extensions';
import { permissionsOf, type Role } from '../../../shared/permissions';
import { schoolDay, todayInChina } from '../daily/days';
import { reportIncident } from './incidents';
import { groupLabelSql } from './label';

const actor = (accountId: string, displayName: string, role: Role, schoolId: string): Actor => ({
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

export async function carelogDemo(tx: Db, ctx: DemoContext): Promise<void> {
  const s1 = ctx.schoolIds[0];
  await tx.execute(sql`INSERT INTO outbox_channels (school_id, kind, enabled, config, max_attempts)
    VALUES (${s1}, 'webhook', false, ${JSON.stringify({ url: 'http://127.0.0.1:9/kehou-demo-hook', secret: 'demo-secret-change-me-0001', timeoutMs: 3000 })}::jsonb, 6)
    ON CONFLICT DO NOTHING`);
  // grade heads: staff who can log in, other than the demo teacher and duty leader (the demo has few)
  const heads = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id FROM staff WHERE school_id = ${s1} AND account_id IS NOT NULL AND account_id NOT IN (${ctx.accounts.teacher}, ${ctx.accounts.duty})
         ORDER BY name LIMIT 2`,
  );
  for (const [i, h] of heads.entries())
    await tx.execute(sql`INSERT INTO grade_heads (school_id, grade, staff_id) VALUES (${s1}, ${i + 1}, ${h.id}) ON CONFLICT DO NOTHING`);

  const sd = await schoolDay(tx, s1, todayInChina(ctx.today));
  if (!sd.weekday) return;
  const groups = await queryRows<{ id: string; mine: boolean }>(
    tx,
    sql`SELECT g.id, st.account_id IS NOT DISTINCT FROM ${ctx.accounts.teacher} AS mine
          FROM care_groups g LEFT JOIN staff st ON st.school_id = g.school_id AND st.id = g.teacher_staff_id
         WHERE g.school_id = ${s1} AND g.term_id = ${sd.termId} AND g.weekday = ${sd.weekday} AND g.slot = 'afternoon'
           AND EXISTS (SELECT 1 FROM attendance a WHERE a.school_id = g.school_id AND a.day = ${sd.day}::date AND a.group_id = g.id)
         ORDER BY mine DESC, g.key LIMIT 3`,
  );
  const mine = groups.find((g) => g.mine);
  if (!mine) return;
  const others = groups.filter((g) => g !== mine);

  for (const [i, g] of [mine, ...others].slice(0, 2).entries())
    await tx.execute(sql`INSERT INTO patrols (school_id, id, day, at, group_id, group_label, rating, note, recorded_by)
      VALUES (${s1}, gen_random_uuid(), ${sd.day}::date, now() - ${`${40 - i * 25} minutes`}::interval, ${g.id}, ${groupLabelSql(s1, g.id)}, ${5 - i},
              ${i === 0 ? '学生安静完成作业，教师到岗' : '活动有序，提醒注意跳绳间距'}, ${ctx.accounts.duty})`);
  const records = [
    { g: mine, category: 'homework', content: '完成语文、数学书面作业，分组订正错题；最后 20 分钟自由阅读。' },
    ...others.slice(0, 1).map((g) => ({ g, category: 'sports', content: '操场跳绳与接力跑，分三组轮换。' })),
  ];
  for (const r of records)
    await tx.execute(sql`INSERT INTO activities (school_id, day, group_id, group_label, category, content, recorded_by)
      VALUES (${s1}, ${sd.day}::date, ${r.g.id}, ${groupLabelSql(s1, r.g.id)}, ${r.category}, ${r.content}, ${ctx.accounts.teacher}) ON CONFLICT DO NOTHING`);

  const [pupil] = await queryRows<{ student_id: string }>(
    tx,
    sql`SELECT student_id FROM attendance WHERE school_id = ${s1} AND day = ${sd.day}::date AND group_id = ${mine.id} AND status = 'present' AND handover = 'none'
         ORDER BY student_id LIMIT 1`,
  );
  if (!pupil) return;
  const { id } = await reportIncident(tx, actor(ctx.accounts.teacher, '李晓东老师', 'teacher', s1), s1, sd, {
    groupId: mine.id,
    kind: 'injury',
    severity: 'minor',
    studentIds: [pupil.student_id],
    description: '课间在走廊跑动时摔倒，左手掌擦伤',
    actionTaken: '已用碘伏消毒并贴创可贴，孩子情绪稳定',
    photo: null,
  });
  await tx.execute(
    sql`UPDATE incident_recipients SET acknowledged_at = now() WHERE school_id = ${s1} AND incident_id = ${id} AND account_id = ${ctx.accounts.duty}`,
  );
  await tx.execute(sql`UPDATE incidents SET status = 'closed', outcome = '已电话告知家长，家长表示理解；放学时当面交代伤口情况。',
                              closed_at = now(), closed_by = ${ctx.accounts.duty} WHERE school_id = ${s1} AND id = ${id}`);
}
