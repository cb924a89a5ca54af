/** Presenters pick the fields a response carries, so a new column never leaks. */
import type { InferSelectModel } from 'drizzle-orm';
import type { campuses, classes, guardians, pickupPersons, staff, students } from '../../db/schema';

type Student = InferSelectModel<typeof students>;
type Pickup = InferSelectModel<typeof pickupPersons>;

export const presentCampus = (c: InferSelectModel<typeof campuses>) => ({ id: c.id, name: c.name, address: c.address });

export const presentClass = (
  c: InferSelectModel<typeof classes> & { campusName?: string | null; homeroomName?: string | null; studentCount?: number },
) => ({
  id: c.id,
  campusId: c.campusId,
  campusName: c.campusName ?? null,
  grade: c.grade,
  name: c.name,
  homeroomStaffId: c.homeroomStaffId,
  homeroomName: c.homeroomName ?? null,
  studentCount: Number(c.studentCount ?? 0),
});

/** The list row: no address, no contacts. */
export const presentStudentRow = (s: Student & { className?: string | null; campusName?: string | null }) => ({
  id: s.id,
  studentNo: s.studentNo,
  name: s.name,
  gender: s.gender,
  grade: s.grade,
  classId: s.classId,
  className: s.className ?? null,
  campusId: s.campusId,
  campusName: s.campusName ?? null,
  active: s.active,
});

export const presentGuardianLink = (g: InferSelectModel<typeof guardians> & { relation: string; isPrimary: boolean }) => ({
  id: g.id,
  name: g.name,
  phone: g.phone,
  relation: g.relation,
  isPrimary: g.isPrimary,
  hasAccount: g.accountId !== null,
});

export const presentPickup = (p: Pickup) => ({
  id: p.id,
  studentId: p.studentId,
  name: p.name,
  relation: p.relation,
  phone: p.phone,
  photo: p.photo,
  validFrom: p.validFrom,
  validTo: p.validTo,
});

export const presentStaff = (s: InferSelectModel<typeof staff> & { campusName?: string | null }) => ({
  id: s.id,
  name: s.name,
  phone: s.phone,
  kind: s.kind,
  campusId: s.campusId,
  campusName: s.campusName ?? null,
  vettingStatus: s.vettingStatus,
  vettingCheckedOn: s.vettingCheckedOn,
  active: s.active,
  hasAccount: s.accountId !== null,
});
