/**
 * Escalation of serious and critical incidents nobody in charge acknowledged within
 * ESCALATE_AFTER_MINUTES: every staff recipient who has not acknowledged is told again (【升级】),
 * and every school leader and duty-role account not yet told is added. Runs on each outbox worker
 * tick; `FOR UPDATE SKIP LOCKED` and the level guard make it happen once with several processes.
 */
import { sql } from 'drizzle-orm';
import { ESCALATE_AFTER_MINUTES } from '../../../shared/carelog';
import { type Db, queryRows } from '../../db/client';
import { tell } from './incidents';
import type { Recipient } from './recipients';

export const escalateAfterMinutes = () => Number(process.env.KEHOU_INCIDENT_ESCALATE_MINUTES ?? ESCALATE_AFTER_MINUTES);

/** Escalates what is overdue; returns the incidents escalated (for live updates). */
export async function escalateOverdue(db: Db, minutes = escalateAfterMinutes()): Promise<{ schoolId: string; day: string; id: string }[]> {
  const done: { schoolId: string; day: string; id: string }[] = [];
  for (;;) {
    const one = await db.transaction(async (tx) => {
      const [inc] = await queryRows<{
        school_id: string;
        id: string;
        day: string;
        kind: string;
        severity: string;
        description: string;
        action_taken: string;
      }>(
        tx,
        sql`SELECT i.school_id, i.id, i.day::text, i.kind, i.severity, i.description, i.action_taken FROM incidents i
             WHERE i.status = 'open' AND i.level = 1 AND i.severity IN ('serious', 'critical')
               AND i.reported_at < now() - make_interval(mins => ${minutes})
               AND NOT EXISTS (SELECT 1 FROM incident_recipients r WHERE r.school_id = i.school_id AND r.incident_id = i.id
                                  AND r.role <> 'guardian' AND r.acknowledged_at IS NOT NULL)
             ORDER BY i.reported_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!inc) return null;
      const again = await queryRows<{ account_id: string; role: Recipient['role'] }>(
        tx,
        sql`SELECT account_id, role FROM incident_recipients WHERE school_id = ${inc.school_id} AND incident_id = ${inc.id}
              AND role <> 'guardian' AND acknowledged_at IS NULL
            UNION
            SELECT DISTINCT r.account_id, 'escalation' FROM school_roles r WHERE r.school_id = ${inc.school_id} AND r.role IN ('school_admin', 'duty')
              AND NOT EXISTS (SELECT 1 FROM incident_recipients x WHERE x.school_id = r.school_id AND x.incident_id = ${inc.id} AND x.account_id = r.account_id)`,
      );
      const [names] = await queryRows<{ names: string }>(
        tx,
        sql`SELECT string_agg(s.name, '、' ORDER BY s.name) AS names FROM incident_pupils p JOIN students s ON s.school_id = p.school_id AND s.id = p.student_id
             WHERE p.school_id = ${inc.school_id} AND p.incident_id = ${inc.id}`,
      );
      await tx.execute(sql`UPDATE incidents SET level = 2, escalated_at = now() WHERE school_id = ${inc.school_id} AND id = ${inc.id}`);
      await tell(
        tx,
        inc.school_id,
        inc.id,
        again.map((r) => ({ accountId: r.account_id, role: r.role })),
        {
          names: names?.names ?? '',
          kind: inc.kind,
          severity: inc.severity,
          description: inc.description,
          actionTaken: inc.action_taken,
          escalated: true,
        },
      );
      await tx.execute(sql`INSERT INTO audit_log (school_id, id, account_id, actor_name, role, action, entity, entity_id, ip, detail)
        VALUES (${inc.school_id}, gen_random_uuid(), NULL, '系统', 'system', 'incident.escalate', 'incident', ${inc.id}, '',
                ${JSON.stringify({ minutes, told: again.length })}::jsonb)`);
      return { schoolId: inc.school_id, day: inc.day, id: inc.id };
    });
    if (!one) return done;
    done.push(one);
  }
}
