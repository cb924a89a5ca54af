/** Writing an incident and telling everyone concerned, in the caller's transaction. */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import type { SchoolDay } from '../daily/days';
import { notifyAccounts } from '../enrollment/notify';
import type { z } from 'zod';
import type { incidentInput } from '../../../shared/carelog';
import { groupLabelSql } from './label';
import { incidentRecipients, type Recipient } from './recipients';

export const KIND_ZH: Record<string, string> = { injury: '受伤', illness: '身体不适', conflict: '冲突', other: '其他情况' };
export const SEVERITY_ZH: Record<string, string> = { minor: '轻微', serious: '较重', critical: '严重' };

/** The notification each role gets: guardians about their child, staff about the incident to acknowledge. */
export async function tell(
  tx: Db,
  schoolId: string,
  incidentId: string,
  recipients: Recipient[],
  what: { names: string; kind: string; severity: string; description: string; actionTaken: string; escalated?: boolean },
) {
  const guardians = recipients.filter((r) => r.role === 'guardian').map((r) => r.accountId);
  const staff = recipients.filter((r) => r.role !== 'guardian').map((r) => r.accountId);
  const payload = { incidentId };
  const kindZh = KIND_ZH[what.kind] ?? what.kind;
  const sev = SEVERITY_ZH[what.severity] ?? what.severity;
  await notifyAccounts(tx, schoolId, guardians, {
    kind: 'incident.guardian',
    title: `${what.names} 在托管中${kindZh}`,
    body: `${what.description}${what.actionTaken ? `。已处理：${what.actionTaken}` : ''}。学校会继续与您联系，请保持电话畅通。`,
    link: '/m/notifications',
    payload,
  });
  await notifyAccounts(tx, schoolId, staff, {
    kind: what.escalated ? 'incident.escalated' : 'incident.reported',
    title: `${what.escalated ? '【升级】' : ''}托管事件（${sev}）：${what.names} ${kindZh}`,
    body: `${what.description}${what.actionTaken ? `。已处理：${what.actionTaken}` : ''}。请在“托管记录”中确认已知悉。`,
    link: '/m/carelog',
    payload,
  });
  if (recipients.length)
    await tx.execute(sql`INSERT INTO incident_recipients (school_id, incident_id, account_id, role, level)
      SELECT ${schoolId}, ${incidentId}, r.account_id, r.role, ${what.escalated ? 2 : 1}
        FROM (VALUES ${sql.join(
          recipients.map((r) => sql`(${r.accountId}::uuid, ${r.role})`),
          sql`, `,
        )}) AS r(account_id, role)
      ON CONFLICT (school_id, incident_id, account_id) DO NOTHING`);
}

export async function reportIncident(tx: Db, actor: Actor, schoolId: string, sd: SchoolDay, input: z.infer<typeof incidentInput>) {
  const ids = [...new Set(input.studentIds)];
  const pupils = await queryRows<{ id: string; name: string }>(
    tx,
    sql`SELECT s.id, s.name FROM attendance a JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
         WHERE a.school_id = ${schoolId} AND a.day = ${sd.day}::date AND a.group_id = ${input.groupId}
           AND a.student_id IN (${sql.join(
             ids.map((id) => sql`${id}::uuid`),
             sql`, `,
           )})`,
  );
  if (pupils.length !== ids.length) throw new AppError(422, 'UNKNOWN_PUPIL', '所选学生不在本组今日名单中');
  const id = newId();
  await tx.execute(sql`INSERT INTO incidents (school_id, id, day, group_id, group_label, kind, severity, description, action_taken, photo, reported_by)
    VALUES (${schoolId}, ${id}, ${sd.day}::date, ${input.groupId}, ${groupLabelSql(schoolId, input.groupId)}, ${input.kind}, ${input.severity}, ${input.description}, ${input.actionTaken},
            ${input.photo}, ${actor.accountId})`);
  await tx.execute(sql`INSERT INTO incident_pupils (school_id, incident_id, student_id)
    SELECT ${schoolId}, ${id}, unnest FROM unnest(ARRAY[${sql.join(
      ids.map((s) => sql`${s}::uuid`),
      sql`, `,
    )}])`);
  const recipients = await incidentRecipients(tx, schoolId, sd, ids, input.severity, actor.accountId);
  const names = pupils.map((p) => p.name).join('、');
  await tell(tx, schoolId, id, recipients, { names, ...input });
  await audit(tx, actor, schoolId, {
    action: 'incident.report',
    entity: 'incident',
    entityId: id,
    detail: { kind: input.kind, severity: input.severity, groupId: input.groupId, studentIds: ids, told: recipients.length },
  });
  return { id, told: recipients.length };
}
