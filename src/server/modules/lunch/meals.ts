/**
 * A month's meals per pupil, read from the enrolment and the day's roll call (shared/lunch.ts has
 * the rule), priced by the caterer's contract in force.
 */
import { sql } from 'drizzle-orm';
import { lunchStatement, mealDays, type RollStatus } from '../../../shared/lunch';
import { type Db, queryRows } from '../../db/client';
import { AppError } from '../../lib/errors';
import { monthDays, type TermRow } from './calendar';

export interface ContractRow {
  id: string;
  catererName: string;
  licenceNo: string;
  priceFen: number;
  validFrom: string;
  validTo: string;
  fileRef: string;
  chargeAbsent: boolean;
}

const CONTRACT_COLUMNS = sql`id, caterer_name AS "catererName", licence_no AS "licenceNo", price_fen AS "priceFen",
  valid_from::text AS "validFrom", valid_to::text AS "validTo", file_ref AS "fileRef", charge_absent AS "chargeAbsent"`;

export async function contracts(db: Db, schoolId: string): Promise<ContractRow[]> {
  return queryRows<ContractRow>(
    db,
    sql`SELECT ${CONTRACT_COLUMNS} FROM lunch_contracts WHERE school_id = ${schoolId} ORDER BY valid_from DESC, created_at DESC`,
  );
}

/** The latest contract in force on a day (null: no caterer that day). */
export async function contractOn(db: Db, schoolId: string, day: string): Promise<ContractRow | null> {
  const [c] = await queryRows<ContractRow>(
    db,
    sql`SELECT ${CONTRACT_COLUMNS} FROM lunch_contracts
         WHERE school_id = ${schoolId} AND valid_from <= ${day}::date AND valid_to >= ${day}::date
         ORDER BY created_at DESC LIMIT 1`,
  );
  return c ?? null;
}

/** The month's statement as it would be posted: the contract, the lines per pupil and the totals. */
export async function computeMonth(db: Db, schoolId: string, term: TermRow, month: string) {
  const all = await monthDays(db, schoolId, term, month);
  const contract = await contractOn(db, schoolId, all[all.length - 1].date);
  if (!contract) throw new AppError(409, 'NO_CONTRACT', '该月没有有效的供餐合同，请先登记供餐单位合同');
  // meals are served only under the contract: days before it started are not billed
  const days = all.filter((d) => d.date >= contract.validFrom && d.date <= contract.validTo);
  const places = await queryRows<{ studentId: string; weekday: number; from: string | null; to: string | null }>(
    db,
    sql`SELECT DISTINCT e.student_id AS "studentId", e.weekday, e.effective_from::text AS "from", e.effective_to::text AS "to"
          FROM applications a
          JOIN enrollments e ON e.school_id = a.school_id AND e.term_id = a.term_id AND e.student_id = a.student_id
          JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id AND s.active
         WHERE a.school_id = ${schoolId} AND a.term_id = ${term.id} AND a.status = 'approved' AND a.lunch
           AND e.status = 'enrolled'`,
  );
  const roll = await queryRows<{ studentId: string; day: string; status: RollStatus }>(
    db,
    sql`SELECT student_id AS "studentId", day::text AS day, status FROM attendance
         WHERE school_id = ${schoolId} AND day BETWEEN ${days[0]?.date ?? all[0].date}::date AND ${all[all.length - 1].date}::date`,
  );
  const rollOf = new Map<string, Map<string, RollStatus[]>>();
  for (const r of roll) {
    const m = rollOf.get(r.studentId) ?? new Map<string, RollStatus[]>();
    m.set(r.day, [...(m.get(r.day) ?? []), r.status]);
    rollOf.set(r.studentId, m);
  }
  const byPupil = new Map<string, typeof places>();
  for (const p of places) byPupil.set(p.studentId, [...(byPupil.get(p.studentId) ?? []), p]);
  const everyDay = new Set([1, 2, 3, 4, 5]);
  const pupils = [...byPupil].map(([studentId, ps]) => {
    // a day counts when a place on its timetable weekday is in effect that day
    const mine = days.filter((d) => ps.some((p) => p.weekday === d.weekday && (!p.from || p.from <= d.date) && (!p.to || d.date <= p.to)));
    return { studentId, days: mealDays(mine, everyDay, rollOf.get(studentId) ?? new Map(), contract.chargeAbsent) };
  });
  return { contract, schoolDays: days.length, ...lunchStatement(pupils, contract.priceFen) };
}
