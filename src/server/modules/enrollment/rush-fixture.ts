/**
 * The opening rush, set up in bulk with set-based SQL (the concurrency test and bench/enroll-rush):
 * N families in one school, each a pupil with a guardian account that has consented, a live session
 * whose cookie is `kehou_sid=<prefix>-<i>`, both agreements signed and an application submitted.
 */
import { sql } from 'drizzle-orm';
import { PRIVACY_NOTICE_VERSION } from '../../../shared/roster';
import { type Db, queryRows } from '../../db/client';
import { currentTexts } from './texts';

export interface RushFamily {
  studentId: string;
  accountId: string;
  cookie: string;
  csrf: string;
}

export async function rushFamilies(db: Db, schoolId: string, termId: string, n: number, prefix: string, grade = 4): Promise<RushFamily[]> {
  const [cls] = await queryRows<{ id: string; campus_id: string }>(
    db,
    sql`SELECT id, campus_id FROM classes WHERE school_id = ${schoolId} AND grade = ${grade} ORDER BY name LIMIT 1`,
  );
  if (!cls) throw new Error(`no grade-${grade} class in school ${schoolId}`);
  const texts = await currentTexts(db, schoolId);
  const batch = 5000;
  for (let start = 1; start <= n; start += batch) {
    const end = Math.min(n, start + batch - 1);
    await db.execute(sql`
      WITH s AS (SELECT i, overlay(overlay(md5(${prefix} || ':s:' || i) placing '4' from 13) placing '8' from 17)::uuid AS student_id, overlay(overlay(md5(${prefix} || ':a:' || i) placing '4' from 13) placing '8' from 17)::uuid AS account_id,
                        overlay(overlay(md5(${prefix} || ':g:' || i) placing '4' from 13) placing '8' from 17)::uuid AS guardian_id
                   FROM generate_series(${start}::int, ${end}::int) i),
      a AS (INSERT INTO accounts (id, phone, display_name, password_hash)
              SELECT account_id, ${prefix} || '-' || i, '家长' || i, 'x' FROM s),
      r AS (INSERT INTO school_roles (school_id, account_id, role) SELECT ${schoolId}, account_id, 'guardian' FROM s),
      st AS (INSERT INTO students (school_id, id, student_no, name, gender, grade, class_id, campus_id)
               SELECT ${schoolId}, student_id, ${prefix} || '-' || i, '学生' || i, CASE WHEN i % 2 = 0 THEN '男' ELSE '女' END, ${grade},
                      ${cls.id}, ${cls.campus_id} FROM s RETURNING id),
      g AS (INSERT INTO guardians (school_id, id, account_id, name, phone)
              SELECT ${schoolId}, guardian_id, account_id, '家长' || i, ${prefix} || '-' || i FROM s),
      c AS (INSERT INTO consents (school_id, account_id, notice_version) SELECT ${schoolId}, account_id, ${PRIVACY_NOTICE_VERSION} FROM s),
      se AS (INSERT INTO sessions (token_hash, account_id, csrf_token, active_school_id, ip, expires_at)
               SELECT encode(sha256(convert_to(${prefix} || '-' || i, 'UTF8')), 'hex'), account_id, 'csrf-' || i, ${schoolId}, '127.0.0.1',
                      now() + interval '1 day' FROM s)
      SELECT count(*) FROM s`);
    // the links and what references the new pupils go after them (foreign keys are checked per statement)
    await db.execute(sql`
      WITH s AS (SELECT i, overlay(overlay(md5(${prefix} || ':s:' || i) placing '4' from 13) placing '8' from 17)::uuid AS student_id, overlay(overlay(md5(${prefix} || ':a:' || i) placing '4' from 13) placing '8' from 17)::uuid AS account_id,
                        overlay(overlay(md5(${prefix} || ':g:' || i) placing '4' from 13) placing '8' from 17)::uuid AS guardian_id
                   FROM generate_series(${start}::int, ${end}::int) i),
      l AS (INSERT INTO student_guardians (school_id, student_id, guardian_id, relation, is_primary)
              SELECT ${schoolId}, student_id, guardian_id, '母亲', true FROM s),
      ap AS (INSERT INTO applications (school_id, id, term_id, student_id, account_id, status)
               SELECT ${schoolId}, overlay(overlay(md5(${prefix} || ':ap:' || i) placing '4' from 13) placing '8' from 17)::uuid, ${termId}, student_id, account_id, 'submitted' FROM s)
      INSERT INTO agreement_signatures (school_id, term_id, student_id, text_id, account_id, text_hash, ip)
        SELECT ${schoolId}, ${termId}, s.student_id, t.id, s.account_id, t.sha256, '127.0.0.1'
          FROM s CROSS JOIN (VALUES ${sql.join(
            texts.map((t) => sql`(${t.id}::uuid, ${t.sha256})`),
            sql`, `,
          )}) AS t(id, sha256)`);
  }
  const rows = await queryRows<{ i: number; student_id: string; account_id: string }>(
    db,
    sql`SELECT i, overlay(overlay(md5(${prefix} || ':s:' || i) placing '4' from 13) placing '8' from 17)::uuid AS student_id, overlay(overlay(md5(${prefix} || ':a:' || i) placing '4' from 13) placing '8' from 17)::uuid AS account_id
          FROM generate_series(1, ${n}::int) i ORDER BY i`,
  );
  return rows.map((r) => ({ studentId: r.student_id, accountId: r.account_id, cookie: `kehou_sid=${prefix}-${r.i}`, csrf: `csrf-${r.i}` }));
}
