/**
 * A generated school for the grouping benchmark and property tests (not demo data): pupils over
 * two campuses, care in three slots, clubs, staff with availability and vetting, venues.
 */
import type { Slot } from '../../../../shared/plans';
import { rng, uuidFrom } from '../../../db/demo/random';
import { DEFAULT_GROUPING, type GroupingInput, type OfferingIn } from './types';

export interface SyntheticOptions {
  pupils: number;
  staff: number;
  venues: number;
  seed?: number;
  /** share of pupils in afternoon care on a weekday */
  afternoonRate?: number;
}

export function syntheticSchool(o: SyntheticOptions): GroupingInput {
  const r = rng(o.seed ?? 1);
  const id = () => uuidFrom(r);
  const campuses = [id(), id()];
  const campusOf = (i: number, n: number) => (i < Math.round(n * 0.78) ? campuses[0] : campuses[1]);
  const pupils = Array.from({ length: o.pupils }, (_, i) => {
    const grade = 1 + (i % 6);
    const cls = Math.floor(i / 6) % 8;
    return {
      id: id(),
      grade,
      campusId: campusOf(i, o.pupils),
      sortKey: `${grade}-${String(cls).padStart(2, '0')}-${String(i).padStart(5, '0')}`,
    };
  });
  const venues = Array.from({ length: o.venues }, (_, i) => ({
    id: id(),
    campusId: campusOf(i, o.venues),
    name: `场地${i + 1}`,
    capacity: i % 10 === 9 ? 120 : 40 + (i % 4) * 5,
  }));
  const care = (slot: Slot): OfferingIn => ({
    id: id(),
    kind: 'care',
    name: `托管-${slot}`,
    slot,
    venueId: null,
    teacherStaffId: null,
    providerName: '',
  });
  const staff = Array.from({ length: o.staff }, (_, i) => ({
    id: id(),
    name: `教师${i + 1}`,
    campusId: i % 12 === 0 ? null : campusOf(i, o.staff),
    eligible: i % 40 !== 39,
    canDuty: i % 5 === 0,
    unavailable: [1, 2, 3, 4, 5].flatMap((w) =>
      (['morning', 'afternoon', 'late'] as Slot[]).filter(() => r.chance(0.15)).map((s) => `${w}:${s}`),
    ),
  }));
  const offerings: OfferingIn[] = [care('morning'), care('afternoon'), care('late')];
  const clubs: { offering: OfferingIn; days: number[] }[] = [];
  for (let i = 0; i < 10; i++) {
    const campus = campusOf(i, 10);
    const venue = venues.find((v, j) => v.campusId === campus && j % 10 === 9 - (i % 2)) ?? venues.find((v) => v.campusId === campus);
    const teacher = staff.find(
      (s, j) =>
        s.eligible &&
        j % 10 === 5 &&
        (s.campusId === campus || s.campusId === null) &&
        !clubs.some((c) => c.offering.teacherStaffId === s.id),
    );
    const offering: OfferingIn = {
      id: id(),
      kind: 'club',
      name: `社团${i + 1}`,
      slot: 'afternoon',
      venueId: venue?.id ?? null,
      teacherStaffId: i % 4 === 3 ? null : (teacher?.id ?? null),
      providerName: i % 4 === 3 ? '某体育俱乐部' : '',
    };
    offerings.push(offering);
    clubs.push({ offering, days: [1 + (i % 5), 1 + ((i + 2) % 5)] });
  }
  const enrolments: GroupingInput['enrolments'] = [];
  const rate = o.afternoonRate ?? 0.35;
  for (const p of pupils) {
    const club = r.chance(0.1)
      ? clubs.find((c) => c.offering.venueId && venues.find((v) => v.id === c.offering.venueId)?.campusId === p.campusId && r.chance(0.3))
      : undefined;
    for (let w = 1; w <= 5; w++) {
      if (club?.days.includes(w)) enrolments.push({ studentId: p.id, offeringId: club.offering.id, weekday: w });
      else if (r.chance(rate)) enrolments.push({ studentId: p.id, offeringId: offerings[1].id, weekday: w });
      if (r.chance(0.08)) enrolments.push({ studentId: p.id, offeringId: offerings[0].id, weekday: w });
      if (r.chance(0.1)) enrolments.push({ studentId: p.id, offeringId: offerings[2].id, weekday: w });
    }
  }
  return {
    settings: DEFAULT_GROUPING,
    slotMinutes: { morning: 40, noon: 90, afternoon: 120, late: 60 },
    pupils,
    offerings,
    enrolments,
    staff,
    venues,
  };
}
