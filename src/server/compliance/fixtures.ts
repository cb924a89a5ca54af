/** A plan that passes every rule, for the compliance tests to break one rule at a time. */
import { planSettingsSchema } from '../../shared/plans';
import type { PlanCheckInput } from './types';

export const VENUE = { id: '00000000-0000-4000-8000-0000000000a1', name: '301 教室', capacity: 45, active: true };
export const FIELD = { id: '00000000-0000-4000-8000-0000000000b2', name: '操场', capacity: 300, active: true };
export const TEACHER = {
  id: '00000000-0000-4000-8000-0000000000c3',
  name: '李老师',
  vettingStatus: 'clear',
  vettingCheckedOn: '2026-08-20',
  active: true,
};

export function goodPlan(): PlanCheckInput {
  return {
    today: '2026-09-01',
    term: {
      id: '00000000-0000-4000-8000-000000000001',
      name: '2026—2027学年第一学期',
      startsOn: '2026-09-01',
      endsOn: '2027-01-22',
      winterFrom: '2026-11-01',
      summerFrom: null,
      applyOpensAt: '2026-08-25T00:00:00.000Z',
      applyClosesAt: '2026-09-05T00:00:00.000Z',
    },
    exceptions: [{ day: '2026-10-01', kind: 'holiday', asWeekday: null }],
    plan: {
      safetyMeasures: '考勤、交接、应急预案',
      complaintPhone: '0631-5201234',
      complaintChannel: '校长信箱',
      feeBasis: '威海市发改委〔2021〕12号',
      settings: planSettingsSchema.parse({}),
    },
    slots: [
      { slot: 'afternoon', season: 'summer', gradeBand: 'low', startTime: '15:30', endTime: '17:40' },
      { slot: 'afternoon', season: 'summer', gradeBand: 'high', startTime: '15:50', endTime: '18:00' },
      { slot: 'afternoon', season: 'winter', gradeBand: 'low', startTime: '15:10', endTime: '17:20' },
      { slot: 'afternoon', season: 'winter', gradeBand: 'high', startTime: '15:30', endTime: '17:40' },
    ],
    offerings: [
      {
        id: '00000000-0000-4000-8000-0000000000d1',
        kind: 'care',
        category: 'reading',
        name: '普通托管（阅读与诵读）',
        description: '自主阅读、经典诵读',
        slot: 'afternoon',
        gradeMin: 1,
        gradeMax: 6,
        weekdays: [1, 2, 3, 4, 5],
        capacity: 35,
        venueId: VENUE.id,
        venueName: VENUE.name,
        teacherStaffId: TEACHER.id,
        teacherName: TEACHER.name,
        providerName: '',
        feeMode: 'per_term',
        feeFen: 30_000,
        allocation: 'approval',
        opensAt: null,
      },
      {
        id: '00000000-0000-4000-8000-0000000000d2',
        kind: 'club',
        category: 'sport',
        name: '足球',
        description: '校园足球',
        slot: 'afternoon',
        gradeMin: 3,
        gradeMax: 6,
        weekdays: [2, 4],
        capacity: 30,
        venueId: FIELD.id,
        venueName: FIELD.name,
        teacherStaffId: TEACHER.id,
        teacherName: TEACHER.name,
        providerName: '',
        feeMode: 'free',
        feeFen: 0,
        allocation: 'fcfs',
        opensAt: '2026-08-26T01:00:00.000Z',
      },
    ],
    venues: [VENUE, FIELD],
    staff: [TEACHER],
  };
}
