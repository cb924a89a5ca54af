/**
 * The roster import: an .xlsx in the template's columns → pupils, classes, guardians and their
 * links, and authorised pick-up adults (R13: every pupil's file has an address and guardian
 * contacts; R7: only authorised adults collect a pupil).
 *
 * All or nothing: every row is checked (cells with the shared zod schemas, then against the school's
 * campuses, classes, pupils and guardians, then across rows), every error is reported with its
 * Excel row and Chinese column name, and only a file without errors is written, in one transaction
 * with bulk statements (chunks of 500 rows), and one audit entry.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type ExcelJS from 'exceljs';
import type { z } from 'zod';
import { GRADE_LABELS } from '../../../shared/roster';
import type { Actor } from '../../auth/actor';
import type { Db } from '../../db/client';
import { campuses, classes, guardians, pickupPersons, studentGuardians, students } from '../../db/schema';
import { AppError, badRequest } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { arrayParam, bulkInsert, CHUNK } from './bulk';
import {
  type ColumnKey,
  COLUMN_BY_KEY,
  EXAMPLE_PREFIX,
  gradeOfClassName,
  MAX_IMPORT_ROWS,
  normalizeClassName,
  normalizeHeader,
  ROSTER_COLUMNS,
} from './columns';
import { type ImportError, type ImportResult, MAX_REPORTED_ERRORS, readRosterRows, type ValidRow, validateCells } from './rows';
import { cellText, loadWorkbook } from './xlsx';

/** `inArray` over a long list, a chunk at a time. */
async function selectIn<T>(values: string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += 1000) out.push(...(await query(values.slice(i, i + 1000))));
  return out;
}

const tooMany = (n: number) =>
  badRequest('IMPORT_TOO_MANY_ROWS', `一次最多导入 ${MAX_IMPORT_ROWS} 名学生，本文件有 ${n} 行，请分成多个文件导入`, {
    rows: n,
    limit: MAX_IMPORT_ROWS,
  });

export async function importRoster(db: Db, actor: Actor, schoolId: string, file: Buffer, opts: { dryRun: boolean }): Promise<ImportResult> {
  if (file.length === 0) throw badRequest('IMPORT_EMPTY', '上传的文件是空的');
  const wb = await loadWorkbook(file);
  const sheetRows = readRosterRows(wb);
  if (sheetRows.length === 0) throw badRequest('IMPORT_EMPTY', '文件中没有学生数据（示例行不会导入）');
  if (sheetRows.length > MAX_IMPORT_ROWS) throw tooMany(sheetRows.length);

  return db.transaction(async (tx) => {
    // One import per school at a time: two overlapping files would race on 学号 and phones.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7251002, hashtext(${schoolId}))`);

    const campusRows = await tx.select().from(campuses).where(eq(campuses.schoolId, schoolId));
    const campusByName = new Map(campusRows.map((c) => [c.name, c]));
    const errors: ImportError[] = [];
    const rows = validateCells(sheetRows, errors, campusRows.length === 1 ? campusRows[0].name : undefined);

    const classRows = await tx.select().from(classes).where(eq(classes.schoolId, schoolId));
    const classByKey = new Map<string, { id: string; grade: number; name: string; campusId: string }>();
    for (const c of classRows) {
      const key = `${c.campusId}|${normalizeClassName(c.name)}`;
      if (!classByKey.has(key)) classByKey.set(key, c);
    }

    const nos = [...new Set(rows.map((r) => r.studentNo))];
    const existing = await selectIn(nos, (chunk) =>
      tx
        .select({ id: students.id, studentNo: students.studentNo })
        .from(students)
        .where(and(eq(students.schoolId, schoolId), inArray(students.studentNo, chunk))),
    );
    const existingByNo = new Map(existing.map((s) => [s.studentNo, s.id]));

    const phones = [...new Set(rows.flatMap((r) => r.guardians.map((g) => g.phone)))];
    const knownGuardians = await selectIn(phones, (chunk) =>
      tx
        .select({ id: guardians.id, name: guardians.name, phone: guardians.phone })
        .from(guardians)
        .where(and(eq(guardians.schoolId, schoolId), inArray(guardians.phone, chunk))),
    );
    const guardianByPhone = new Map(knownGuardians.map((g) => [g.phone, g]));

    // Checks against the school and across rows.
    const firstRowOfNo = new Map<string, number>();
    const nameOfPhone = new Map<string, { name: string; row: number }>();
    const newClasses = new Map<string, { id: string; campusId: string; campus: string; grade: number; name: string; row: number }>();
    type Planned = ValidRow & { campusId: string; classId: string };
    const planned: Planned[] = [];
    for (const r of rows) {
      let ok = true;
      const fail = (k: ColumnKey, message: string) => {
        errors.push({ row: r.row, column: COLUMN_BY_KEY[k].header, message });
        ok = false;
      };
      const first = firstRowOfNo.get(r.studentNo);
      if (first !== undefined) fail('studentNo', `学号与第 ${first} 行重复`);
      else firstRowOfNo.set(r.studentNo, r.row);

      for (const g of r.guardians) {
        const nameKey: ColumnKey = g.slot === 1 ? 'g1Name' : 'g2Name';
        const known = guardianByPhone.get(g.phone);
        const seen = nameOfPhone.get(g.phone);
        if (known && known.name !== g.name) {
          fail(nameKey, `手机号 ${g.phone} 在本校已登记为“${known.name}”，与此处姓名不一致；请核对手机号或姓名`);
        } else if (seen && seen.name !== g.name) {
          fail(nameKey, `手机号 ${g.phone} 在第 ${seen.row} 行的监护人姓名为“${seen.name}”，与此处不一致`);
        } else if (!seen) nameOfPhone.set(g.phone, { name: g.name, row: r.row });
      }

      const campus = campusByName.get(r.campus);
      if (!campus) {
        fail(
          'campus',
          `本校没有名为“${r.campus}”的校区${campusRows.length ? `（现有：${campusRows.map((c) => c.name).join('、')}）` : ''}`,
        );
        continue;
      }
      const key = `${campus.id}|${r.className}`;
      const cls = classByKey.get(key);
      let classId: string;
      if (cls) {
        if (cls.grade !== r.grade) fail('grade', `班级“${cls.name}”是${GRADE_LABELS[cls.grade]}的班级，与年级 ${r.grade} 不符`);
        classId = cls.id;
      } else {
        const pending = newClasses.get(key);
        if (pending) {
          if (pending.grade !== r.grade) fail('grade', `新班级“${r.className}”在第 ${pending.row} 行为 ${pending.grade} 年级，与此处不符`);
          classId = pending.id;
        } else {
          const g = gradeOfClassName(r.className);
          if (g === undefined) {
            fail(
              'className',
              `${campus.name}没有班级“${r.className}”；要新建班级，名称须以年级开头，如 ${GRADE_LABELS[r.grade].slice(0, 1)}(1)班`,
            );
          } else if (g !== r.grade) {
            fail('className', `${campus.name}没有班级“${r.className}”；它的名称表示 ${g} 年级，与年级 ${r.grade} 不符`);
          }
          classId = newId();
          if (ok)
            newClasses.set(key, { id: classId, campusId: campus.id, campus: campus.name, grade: r.grade, name: r.className, row: r.row });
        }
      }
      if (ok) planned.push({ ...r, campusId: campus.id, classId });
    }

    if (errors.length > 0) {
      const order = new Map(ROSTER_COLUMNS.map((c, i) => [c.header, i]));
      errors.sort((a, b) => a.row - b.row || (order.get(a.column) ?? 99) - (order.get(b.column) ?? 99));
      throw new AppError(400, 'IMPORT_INVALID', `导入文件有 ${errors.length} 处错误，未导入任何数据`, {
        errors: errors.slice(0, MAX_REPORTED_ERRORS),
        total: errors.length,
      });
    }

    // The writes.
    const toCreate = planned.filter((r) => !existingByNo.has(r.studentNo));
    const toUpdate = planned.filter((r) => existingByNo.has(r.studentNo));
    const studentIdOf = new Map<string, string>();
    for (const r of toCreate) studentIdOf.set(r.studentNo, newId());
    for (const r of toUpdate) studentIdOf.set(r.studentNo, existingByNo.get(r.studentNo) as string);

    const newGuardians = new Map<string, { id: string; name: string; phone: string }>();
    for (const r of planned) {
      for (const g of r.guardians) {
        if (!guardianByPhone.has(g.phone) && !newGuardians.has(g.phone))
          newGuardians.set(g.phone, { id: newId(), name: g.name, phone: g.phone });
      }
    }
    const guardianIdOf = (phone: string) => (guardianByPhone.get(phone) ?? newGuardians.get(phone))?.id as string;
    const reused = new Set(planned.flatMap((r) => r.guardians.map((g) => g.phone)).filter((p) => guardianByPhone.has(p)));

    // Pick-up adults: one per linked guardian unless the pupil already has one with that phone.
    const updatedIds = toUpdate.map((r) => studentIdOf.get(r.studentNo) as string);
    const existingPickups = await selectIn(updatedIds, (chunk) =>
      tx
        .select({ studentId: pickupPersons.studentId, phone: pickupPersons.phone })
        .from(pickupPersons)
        .where(and(eq(pickupPersons.schoolId, schoolId), inArray(pickupPersons.studentId, chunk))),
    );
    const hasPickup = new Set(existingPickups.map((p) => `${p.studentId}|${p.phone}`));
    const pickups: (typeof pickupPersons.$inferInsert)[] = [];
    const links: (typeof studentGuardians.$inferInsert)[] = [];
    for (const r of planned) {
      const studentId = studentIdOf.get(r.studentNo) as string;
      for (const g of r.guardians) {
        links.push({ schoolId, studentId, guardianId: guardianIdOf(g.phone), relation: g.relation, isPrimary: g.slot === 1 });
        if (!hasPickup.has(`${studentId}|${g.phone}`)) {
          hasPickup.add(`${studentId}|${g.phone}`);
          pickups.push({ schoolId, id: newId(), studentId, name: g.name, relation: g.relation, phone: g.phone });
        }
      }
    }

    const result: ImportResult = {
      dryRun: opts.dryRun,
      rows: sheetRows.length,
      created: toCreate.length,
      updated: toUpdate.length,
      guardians: newGuardians.size,
      guardiansReused: reused.size,
      pickupsAdded: pickups.length,
      createdClasses: [...newClasses.values()].map((c) => ({ campus: c.campus, grade: c.grade, name: c.name })),
    };
    if (opts.dryRun) return result;

    await bulkInsert(
      tx,
      classes,
      [...newClasses.values()].map((c) => ({ schoolId, id: c.id, campusId: c.campusId, grade: c.grade, name: c.name })),
    );
    await bulkInsert(
      tx,
      students,
      toCreate.map((r) => ({
        schoolId,
        id: studentIdOf.get(r.studentNo) as string,
        studentNo: r.studentNo,
        name: r.name,
        gender: r.gender,
        grade: r.grade,
        classId: r.classId,
        campusId: r.campusId,
        address: r.address,
      })),
    );
    // Existing pupils: one UPDATE … FROM unnest(…) per chunk. An empty address keeps the old one.
    for (let i = 0; i < toUpdate.length; i += CHUNK) {
      const chunk = toUpdate.slice(i, i + CHUNK);
      await tx.execute(sql`
        UPDATE students AS s
           SET name = v.name, gender = v.gender, grade = v.grade, class_id = v.class_id, campus_id = v.campus_id,
               address = COALESCE(NULLIF(v.address, ''), s.address), updated_at = now()
          FROM unnest(
                 ${arrayParam(
                   students.id,
                   chunk.map((r) => studentIdOf.get(r.studentNo)),
                 )},
                 ${arrayParam(
                   students.name,
                   chunk.map((r) => r.name),
                 )},
                 ${arrayParam(
                   students.gender,
                   chunk.map((r) => r.gender),
                 )},
                 ${arrayParam(
                   students.grade,
                   chunk.map((r) => r.grade),
                 )},
                 ${arrayParam(
                   students.classId,
                   chunk.map((r) => r.classId),
                 )},
                 ${arrayParam(
                   students.campusId,
                   chunk.map((r) => r.campusId),
                 )},
                 ${arrayParam(
                   students.address,
                   chunk.map((r) => r.address),
                 )}
               ) AS v(id, name, gender, grade, class_id, campus_id, address)
         WHERE s.school_id = ${schoolId} AND s.id = v.id`);
    }
    await bulkInsert(
      tx,
      guardians,
      [...newGuardians.values()].map((g) => ({ schoolId, id: g.id, name: g.name, phone: g.phone })),
    );
    await bulkInsert(
      tx,
      studentGuardians,
      links,
      sql`ON CONFLICT (school_id, student_id, guardian_id) DO UPDATE SET relation = excluded.relation, is_primary = excluded.is_primary`,
    );
    // 监护人1 is the primary guardian: any other primary link of an updated pupil is cleared.
    for (let i = 0; i < toUpdate.length; i += CHUNK) {
      const chunk = toUpdate.slice(i, i + CHUNK);
      await tx.execute(sql`
        UPDATE student_guardians AS sg SET is_primary = false
          FROM unnest(
                 ${arrayParam(
                   studentGuardians.studentId,
                   chunk.map((r) => studentIdOf.get(r.studentNo)),
                 )},
                 ${arrayParam(
                   studentGuardians.guardianId,
                   chunk.map((r) => guardianIdOf(r.guardians[0].phone)),
                 )}
               ) AS v(student_id, guardian_id)
         WHERE sg.school_id = ${schoolId} AND sg.student_id = v.student_id AND sg.guardian_id <> v.guardian_id AND sg.is_primary`);
    }
    await bulkInsert(tx, pickupPersons, pickups);

    await audit(tx, actor, schoolId, {
      action: 'roster.import',
      entity: 'roster',
      detail: {
        rows: result.rows,
        created: result.created,
        updated: result.updated,
        guardians: result.guardians,
        guardiansReused: result.guardiansReused,
        pickupsAdded: result.pickupsAdded,
        createdClasses: result.createdClasses.map((c) => `${c.campus} ${c.name}`),
      },
    });
    return result;
  });
}
