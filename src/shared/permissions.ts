/**
 * Permissions are typed `${Resource}.${Action}` (the Cal.com PBAC convention). A route declares the
 * one it needs; roles map to sets of them. Relationship checks (which pupils, which class) come on
 * top, in each module's policy/scope helpers.
 */
export const ROLES = ['guardian', 'homeroom', 'teacher', 'duty', 'school_admin', 'district'] as const;
export type Role = (typeof ROLES)[number];
export type SchoolRole = Exclude<Role, 'district'>;
export const SCHOOL_ROLES: SchoolRole[] = ['guardian', 'homeroom', 'teacher', 'duty', 'school_admin'];

export const PERMISSIONS = [
  'school.read',
  'school.write',
  'school.create',
  'campus.read',
  'campus.write',
  'class.read',
  'class.write',
  'student.read',
  'student.write',
  'student.export',
  'guardian.read',
  'guardian.write',
  'pickup.read',
  'pickup.write',
  'staff.read',
  'staff.write',
  'roster.import',
  'audit.read',
  'family.read',
  'family.consent',
  'family.write',
  'district.read',
  'district.write',
  'term.read',
  'term.write',
  'venue.read',
  'venue.write',
  'plan.read',
  'plan.write',
  'plan.submit',
  'plan.review',
  'survey.read',
  'survey.write',
  'survey.answer',
  'application.read',
  'application.review',
  'application.write',
  'enrollment.read',
  'enrollment.write',
  'family.apply',
  'notification.read',
  'group.read',
  'group.write',
  'attendance.read',
  'attendance.write',
  'release.write',
  'day.close',
  'duty.read',
  // the care log (patrols, activity records, incidents) and the outbox of external deliveries
  'patrol.write',
  'activity.write',
  'incident.read',
  'incident.write',
  'incident.close',
  'outbox.read',
  'outbox.write',
  // the term rota and shift swaps (R8): staff read their own rota and ask; the office approves
  'rota.read',
  'rota.export',
  'swap.request',
  'swap.approve',
  // money (issue 5): the office's payment desk, refunds, reconciliation; the term's public accounts;
  // guardians pay online from the phone
  // billing: fee standards, invoicing runs, credits, term close; the office's waiver decisions (N14)
  'billing.read',
  'billing.write',
  'billing.close',
  'waiver.decide',
  'payment.read',
  'payment.write',
  'payment.refund',
  'accounts.read',
  'accounts.write',
  'family.pay',
  // the family side of the afternoon: leave (guardians ask; homeroom/office record calls and approve),
  // hand-over notes from the homeroom teacher to the care teacher, the duty leader's line-up headcount
  'family.leave',
  'leave.read',
  'leave.record',
  'leave.approve',
  'handover.read',
  'handover.write',
  'headcount.write',
  // lunch (caterer, menu, statements, 陪餐), teachers' subsidies and labour fees; the district's subsidy rates
  'lunch.read',
  'lunch.write',
  'subsidy.read',
  'subsidy.write',
  'funding.read',
  'funding.write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
export type Resource = Permission extends `${infer R}.${string}` ? R : never;

const NOT_OFFICE = new Set<Permission>([
  'school.create',
  'district.read',
  'district.write',
  'plan.review',
  'survey.answer',
  'funding.read',
  'funding.write',
]);
const OFFICE: Permission[] = PERMISSIONS.filter((p) => !p.startsWith('family.') && !NOT_OFFICE.has(p));
// Every afternoon: roll call and release by the care teacher (own groups today) and the duty leader.
const DAILY_TEACHER: Permission[] = [
  'handover.read',
  'attendance.read',
  'attendance.write',
  'release.write',
  'activity.write',
  'incident.read',
  'incident.write',
];
/** Staff who work shifts read their own rota and ask to swap (R8). */
const ROTA_STAFF: Permission[] = ['rota.read', 'swap.request'];
const READ_TERM: Permission[] = ['term.read', 'plan.read', 'venue.read', 'enrollment.read', 'notification.read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  school_admin: OFFICE,
  // Homeroom teachers see and edit contacts of their own class only (scope helpers narrow it).
  homeroom: [
    'school.read',
    'campus.read',
    'class.read',
    'student.read',
    'guardian.read',
    'pickup.read',
    'staff.read',
    ...READ_TERM,
    'survey.read',
    'application.read',
    'application.review',
    'attendance.read',
    'incident.read',
    'leave.read',
    'leave.record',
    'leave.approve',
    'handover.read',
    'handover.write',
  ],
  // Care teachers and duty leaders need the pupils in front of them and who may pick them up.
  teacher: [
    'school.read',
    'campus.read',
    'class.read',
    'student.read',
    'pickup.read',
    'staff.read',
    ...READ_TERM,
    ...DAILY_TEACHER,
    ...ROTA_STAFF,
  ],
  duty: [
    'school.read',
    'campus.read',
    'class.read',
    'student.read',
    'guardian.read',
    'pickup.read',
    'staff.read',
    ...READ_TERM,
    ...DAILY_TEACHER,
    ...ROTA_STAFF,
    'group.read',
    'day.close',
    'duty.read',
    'leave.read',
    'headcount.write',
    'patrol.write',
    'incident.close',
  ],
  guardian: [
    'school.read',
    'family.read',
    'family.write',
    'family.leave',
    'family.consent',
    'family.apply',
    'family.pay',
    'survey.answer',
    'notification.read',
  ],
  // The bureau acts on its schools through /api/district/*; it has no school context, so it holds
  // no school.* permission that routes acting inside one school (GET/PATCH /api/school) would honour.
  district: ['district.read', 'district.write', 'school.create', 'plan.review', 'funding.read', 'funding.write'],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const set = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r]) set.add(p);
  return set;
}

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  guardian: { zh: '家长', en: 'Guardian' },
  homeroom: { zh: '班主任', en: 'Homeroom teacher' },
  teacher: { zh: '托管教师', en: 'Care teacher' },
  duty: { zh: '值班领导', en: 'Duty leader' },
  school_admin: { zh: '学校管理办公室', en: 'School office' },
  district: { zh: '区教育局', en: 'District bureau' },
};
