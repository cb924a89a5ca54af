/**
 * Who hears of an incident (shared/carelog rolesToTell): the pupils' guardians, their homeroom
 * teachers, the grade heads of their grades (grade_heads, set by the office), the day's managers
 * (the duty leaders on today's rota and the accounts holding the duty role) and the school leaders (school_admin accounts). Each account
 * once, in the first role that names it; never the reporter.
 */
import { sql } from 'drizzle-orm';
import { type RecipientRole, rolesToTell, type Severity } from '../../../shared/carelog';
import { type Db, queryRows } from '../../db/client';
import type { SchoolDay } from '../daily/days';

export interface Recipient {
  accountId: string;
  role: RecipientRole;
}

export async function incidentRecipients(
  tx: Db,
  schoolId: string,
  sd: SchoolDay,
  studentIds: string[],
  severity: Severity,
  reporter: string,
): Promise<Recipient[]> {
  const wanted = new Set(rolesToTell(severity));
  const pupils = sql.join(
    studentIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = await queryRows<{ account_id: string; role: RecipientRole }>(
    tx,
    sql`SELECT g.account_id, 'guardian' AS role, 1 AS ord FROM student_guardians sg
          JOIN guardians g ON g.school_id = sg.school_id AND g.id = sg.guardian_id
         WHERE sg.school_id = ${schoolId} AND sg.student_id IN (${pupils}) AND g.account_id IS NOT NULL
        UNION ALL
        SELECT st.account_id, 'homeroom', 2 FROM students s JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
          JOIN staff st ON st.school_id = c.school_id AND st.id = c.homeroom_staff_id
         WHERE s.school_id = ${schoolId} AND s.id IN (${pupils}) AND st.account_id IS NOT NULL
        UNION ALL
        SELECT st.account_id, 'grade_head', 3 FROM students s JOIN grade_heads gh ON gh.school_id = s.school_id AND gh.grade = s.grade
          JOIN staff st ON st.school_id = gh.school_id AND st.id = gh.staff_id
         WHERE s.school_id = ${schoolId} AND s.id IN (${pupils}) AND st.account_id IS NOT NULL
        UNION ALL
        SELECT st.account_id, 'manager', 4 FROM duty_assignments da JOIN staff st ON st.school_id = da.school_id AND st.id = da.staff_id
         WHERE da.school_id = ${schoolId} AND da.term_id = ${sd.termId} AND da.weekday = ${sd.weekday ?? 0} AND st.account_id IS NOT NULL
        UNION ALL
        SELECT r.account_id, 'manager', 4 FROM school_roles r WHERE r.school_id = ${schoolId} AND r.role = 'duty'
        UNION ALL
        SELECT r.account_id, 'leader', 5 FROM school_roles r WHERE r.school_id = ${schoolId} AND r.role = 'school_admin'
        ORDER BY ord`,
  );
  const seen = new Set<string>([reporter]);
  const out: Recipient[] = [];
  for (const r of rows) {
    if (!wanted.has(r.role) || seen.has(r.account_id)) continue;
    seen.add(r.account_id);
    out.push({ accountId: r.account_id, role: r.role });
  }
  return out;
}
