/**
 * Group and venue rules: at most 35 pupils per group with one teacher (R5, a setting), and a venue
 * large enough for a group, not shared beyond its capacity in the same slot and weekday.
 */
import { SLOT_LABELS, WEEKDAY_LABELS } from '../../shared/plans';
import { q, SLOT_EN, WEEKDAY_EN } from './en';
import { cmp, offeringPath, rule, sortedOfferings } from './types';

export const groupSize = rule(
  {
    id: 'R5-group',
    source: '篇二：原则上以35人设置班额，每班配1名教师，每4班加配1名值班领导（设置项 maxGroupSize）',
    severity: 'warn',
    title: '名额超过每组人数时将分组',
    titleEn: 'Offerings above the group size are split into groups',
    sourceEn: 'Part 2: groups of 35 as a rule, one teacher per group, one duty leader per four groups (setting maxGroupSize)',
  },
  (input, emit) => {
    const max = input.plan.settings.maxGroupSize;
    for (const o of sortedOfferings(input)) {
      if (o.capacity > max) {
        const groups = Math.ceil(o.capacity / max);
        emit(
          {
            zh: `「${o.name}」名额 ${o.capacity} 人，超过每组 ${max} 人：将分为 ${groups} 个组，需 ${groups} 名教师和相应场地`,
            en: `${q(o.name)} has ${o.capacity} seats, more than ${max} per group: it needs ${groups} groups, ${groups} teachers and the rooms for them`,
          },
          offeringPath(o.id, 'capacity'),
        );
      }
    }
  },
);

export const venueCapacity = rule(
  {
    id: 'R5-venue',
    source: '篇二：服务场所为教室、功能室、图书馆、操场等，按实际人数合理编班；场地须容纳一个组',
    severity: 'block',
    title: '场地容纳得下一个组',
    titleEn: 'The venue holds a group',
    sourceEn: 'Part 2: classrooms, function rooms, library, playground; groups sized to the room; a venue must hold one group',
  },
  (input, emit) => {
    const max = input.plan.settings.maxGroupSize;
    const venues = new Map(input.venues.map((v) => [v.id, v]));
    for (const o of sortedOfferings(input)) {
      if (!o.venueId) continue;
      const v = venues.get(o.venueId);
      if (!v?.active) {
        emit(
          { zh: `「${o.name}」的场地已停用或不存在`, en: `The venue of ${q(o.name)} is inactive or does not exist` },
          offeringPath(o.id, 'venueId'),
        );
        continue;
      }
      const group = Math.min(o.capacity, max);
      if (v.capacity < group)
        emit(
          {
            zh: `「${o.name}」每组 ${group} 人，场地“${v.name}”只能容纳 ${v.capacity} 人`,
            en: `${q(o.name)} has ${group} pupils per group; the venue ${q(v.name)} holds only ${v.capacity}`,
          },
          offeringPath(o.id, 'venueId'),
        );
    }
  },
);

export const venueShared = rule(
  {
    id: 'R5-venue-shared',
    source: '篇二：根据编班情况确定活动教室安排；同一场地同一时段的人数不超过其容量',
    severity: 'warn',
    title: '同一场地同一时段不超员',
    titleEn: 'A venue is not over capacity in a slot',
    sourceEn: 'Part 2: rooms are allotted by the groups; pupils in one venue at one time stay within its capacity',
  },
  (input, emit) => {
    const max = input.plan.settings.maxGroupSize;
    const venues = new Map(input.venues.map((v) => [v.id, v]));
    // Offerings of one group (capacity within the group size) meet in their venue; larger ones are
    // split into groups that get their rooms when groups are organised.
    const load = new Map<string, { names: string[]; pupils: number }>();
    for (const o of sortedOfferings(input)) {
      if (!o.venueId || !venues.has(o.venueId) || o.capacity > max) continue;
      for (const d of o.weekdays) {
        const key = `${o.venueId}|${o.slot}|${d}`;
        const l = load.get(key) ?? { names: [], pupils: 0 };
        l.names.push(o.name);
        l.pupils += o.capacity;
        load.set(key, l);
      }
    }
    // one finding per venue and slot, naming the weekdays
    const over = new Map<string, { days: number[]; names: Set<string>; pupils: number }>();
    for (const key of [...load.keys()].sort(cmp)) {
      const l = load.get(key)!;
      const [venueId, slot, day] = key.split('|');
      if (l.names.length < 2 || l.pupils <= venues.get(venueId)!.capacity) continue;
      const o = over.get(`${venueId}|${slot}`) ?? { days: [], names: new Set<string>(), pupils: 0 };
      o.days.push(Number(day));
      for (const n of l.names) o.names.add(n);
      o.pupils = Math.max(o.pupils, l.pupils);
      over.set(`${venueId}|${slot}`, o);
    }
    for (const [key, o] of over) {
      const [venueId, slot] = key.split('|');
      const v = venues.get(venueId)!;
      const days = o.days.map((d) => WEEKDAY_LABELS[d]).join('、');
      const s = slot as keyof typeof SLOT_LABELS;
      emit(
        {
          zh: `场地“${v.name}”${days}${SLOT_LABELS[s]}同时安排了 ${[...o.names].join('、')}，最多 ${o.pupils} 人，超过容量 ${v.capacity} 人`,
          en: `Venue ${q(v.name)}, ${o.days.map((d) => WEEKDAY_EN[d]).join(', ')} ${SLOT_EN[s]}: ${[...o.names].map(q).join(', ')} at once, up to ${o.pupils} pupils, over its capacity of ${v.capacity}`,
        },
        `venues.${venueId}.${slot}`,
      );
    }
  },
);

export const teacherNamed = rule(
  {
    id: 'R5-teacher',
    source: '篇二：每班配1名教师；篇五：校外人员、机构须经审核',
    severity: 'warn',
    title: '每个项目有教师或服务机构',
    titleEn: 'Every offering has a teacher or a provider',
    sourceEn: 'Part 2: one teacher per group; Part 5: outside staff and providers must be vetted',
  },
  (input, emit) => {
    for (const o of sortedOfferings(input)) {
      if (!o.teacherStaffId && !o.providerName.trim())
        emit(
          { zh: `「${o.name}」没有指定教师或服务机构`, en: `${q(o.name)} has no teacher or provider` },
          offeringPath(o.id, 'teacherStaffId'),
        );
    }
  },
);

export const CAPACITY_RULES = [groupSize, venueCapacity, venueShared, teacherNamed];
