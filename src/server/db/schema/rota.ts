/**
 * The term rota's changes (R8): shift swaps. A swap moves one or two shifts (legs) between two
 * staff members on a date — a group's session (date × care group) or a duty day. Approved legs
 * override care_groups.teacher_staff_id / duty_assignments for that date only; the timetable itself
 * never changes.
 */
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { staff } from './core';
import { careGroups } from './daily';
import { schoolId, ts } from './columns';
import { terms } from './plans';

/**
 * requested → accepted (the colleague agreed) → approved | refused by the office; the colleague may
 * decline and the requester may cancel while undecided.
 */
export const shiftSwaps = pgTable(
  'shift_swaps',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    requesterStaffId: uuid('requester_staff_id').notNull(),
    colleagueStaffId: uuid('colleague_staff_id').notNull(),
    requestedBy: uuid('requested_by').notNull(),
    reason: text('reason').notNull().default(''),
    status: text('status').notNull().default('requested'),
    acceptedAt: ts('accepted_at'),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    decisionNote: text('decision_note').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    foreignKey({ columns: [t.schoolId, t.requesterStaffId], foreignColumns: [staff.schoolId, staff.id] }),
    foreignKey({ columns: [t.schoolId, t.colleagueStaffId], foreignColumns: [staff.schoolId, staff.id] }),
    index('shift_swaps_status_idx').on(t.schoolId, t.status),
    check('shift_swaps_status_ck', sql`${t.status} IN ('requested','accepted','declined','cancelled','approved','refused')`),
    check('shift_swaps_parties_ck', sql`${t.requesterStaffId} <> ${t.colleagueStaffId}`),
  ],
);

/**
 * One shift that changes hands: leg 1 from the requester to the colleague; leg 2 (a swap rather
 * than a give-away) from the colleague back to the requester. `group_id` null: the duty day.
 */
export const shiftSwapLegs = pgTable(
  'shift_swap_legs',
  {
    schoolId: schoolId(),
    swapId: uuid('swap_id').notNull(),
    leg: smallint('leg').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    groupId: uuid('group_id'),
    fromStaffId: uuid('from_staff_id').notNull(),
    toStaffId: uuid('to_staff_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.swapId, t.leg] }),
    foreignKey({ columns: [t.schoolId, t.swapId], foreignColumns: [shiftSwaps.schoolId, shiftSwaps.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.schoolId, t.groupId], foreignColumns: [careGroups.schoolId, careGroups.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.schoolId, t.fromStaffId], foreignColumns: [staff.schoolId, staff.id] }),
    foreignKey({ columns: [t.schoolId, t.toStaffId], foreignColumns: [staff.schoolId, staff.id] }),
    index('shift_swap_legs_day_idx').on(t.schoolId, t.day),
    check('shift_swap_legs_leg_ck', sql`${t.leg} IN (1, 2)`),
  ],
);
