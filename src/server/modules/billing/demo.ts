/**
 * Billing in the demo: the district's approved provider list, two hardship families (低保, 建档立卡)
 * waived automatically, this term's bills for the first school (its published plan charges 300
 * yuan a term for grades 3–6 care) and a guardian's waiver application waiting for the office.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/client';
import type { DemoContext } from '../../db/demo/extensions';
import { approvedProviders, hardshipRegistrations, waivers } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { todayInChina } from '../enrollment/published';
import { loadTermContext } from './context';
import { lockBilling, pupilsToBill, settleStudents } from './settle';

export async function billingDemo(tx: Db, ctx: DemoContext): Promise<void> {
  await tx.insert(approvedProviders).values([
    { districtId: ctx.districtId, id: newId(), name: '环翠区青少年活动中心', creditCode: '12371002MB1234567X', note: '区级公益性机构' },
    { districtId: ctx.districtId, id: newId(), name: '威海市体育运动学校', creditCode: '12371000MB7654321Y', note: '足球、田径' },
  ]);
  const schoolId = ctx.schoolIds[0];
  const today = todayInChina(ctx.today);
  const [term] = await queryRows<{ id: string; starts_on: string }>(
    tx,
    sql`SELECT t.id, t.starts_on::text FROM terms t WHERE t.school_id = ${schoolId} AND t.starts_on <= ${today}::date ORDER BY t.starts_on DESC LIMIT 1`,
  );
  if (!term) return;
  // pupils enrolled in a paid offering, in a stable order
  const paid = await queryRows<{ student_id: string }>(
    tx,
    sql`SELECT DISTINCT e.student_id FROM enrollments e JOIN offerings o ON o.school_id = e.school_id AND o.id = e.offering_id
         WHERE e.school_id = ${schoolId} AND e.term_id = ${term.id} AND e.status = 'enrolled' AND o.fee_fen > 0 AND o.fee_mode <> 'free'
         ORDER BY e.student_id LIMIT 3`,
  );
  if (paid.length >= 2) {
    await tx.insert(hardshipRegistrations).values([
      {
        schoolId,
        id: newId(),
        studentId: paid[0].student_id,
        category: 'dibao',
        basisPoints: 10_000,
        validFrom: term.starts_on,
        evidence: '低保证 环民字第 2026-031 号，已核验原件',
        verifiedBy: ctx.accounts.admin,
      },
      {
        schoolId,
        id: newId(),
        studentId: paid[1].student_id,
        category: 'poor_household',
        basisPoints: 10_000,
        validFrom: term.starts_on,
        evidence: '建档立卡系统核验',
        verifiedBy: ctx.accounts.admin,
      },
    ]);
  }
  try {
    const tc = await loadTermContext(tx, schoolId, term.id, today);
    await lockBilling(tx, schoolId);
    await settleStudents(tx, tc, await pupilsToBill(tx, schoolId, term.id), ctx.accounts.admin);
  } catch (e) {
    // no published plan or a later term: the demo simply has no bills
    if (!(e instanceof AppError)) throw e;
  }
  if (paid[2]) {
    await tx.insert(waivers).values({
      schoolId,
      id: newId(),
      termId: term.id,
      studentId: paid[2].student_id,
      source: 'application',
      category: 'other',
      basisPoints: 5_000,
      status: 'pending',
      reason: '父亲今年失业，家庭收入骤减，申请减免一半托管费',
    });
  }
}
