/**
 * Shift swaps (R8) in the simulation. At the start of the run a few school days are chosen (by the
 * sim's seeded rng) on which one shift changes hands between two members of staff with a login
 * (李晓东 'teacher', 周敏 'teacher2', 陈建国 'duty'): an afternoon group, or a duty day. Each swap is
 * asked over HTTP on the evening of an earlier school day (or that morning), the colleague accepts or
 * declines at once, and the office approves or refuses on the morning of the day. The outcomes are
 * random, but a run of two or more such days has at least one approved swap and one refused or declined.
 *
 * On the day, `onTheDay` checks what the staff see: whoever lost (or never got) the group is turned away
 * with 403 on its roll call, the duty console names the day's teacher and leaders. After the day,
 * `swapViolations` reads the database: nobody booked twice in one slot (the timetable with the day's
 * approved legs applied, computed here, not by the app), and every roll-call mark, check-in and release of
 * a swap's group made by the day's teacher (releases of relay pupils by a duty leader).
 */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Db, queryRows } from '../../../db/client';
import type { Client, Res } from '../../../test/harness';
import type { ClockEnv } from './env';
import type { Rng } from './rng';

export interface Party {
  login: string;
  client: Client;
  accountId: string;
  staffId: string;
  name: string;
  campusId: string | null;
  kind: string;
  /** a duty leader or the office may work on any group of the day */
  leader: boolean;
}

export type Outcome = 'approved' | 'refused' | 'declined';

export interface Swap {
  day: string;
  /** the school day on which it is asked: in the evening, or on `day` itself in the morning */
  askOn: string;
  giver: Party;
  taker: Party;
  /** null: the giver's duty day */
  groupId: string | null;
  outcome: Outcome;
  id?: string;
}

export interface SwapStats {
  swaps: number;
  swapsApproved: number;
  swapsRefused: number;
  swapsDeclined: number;
  swapDutyDays: number;
  /** writes on a group refused with 403 because its shift was given away (or never taken) */
  swapTurnedAway: number;
}

interface RotaEntry {
  groupId: string | null;
  slot: string;
  staffId: string | null;
}

const ok = (res: Res, what: string, status = 200) => {
  if (res.status !== status) throw new Error(`${what} answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

export async function swapSim(env: ClockEnv, r: Rng, office: Client, clients: Record<string, Client>, stats: SwapStats) {
  const db = () => env.database.db;
  const logins = Object.keys(clients);
  const rows = await queryRows<Omit<Party, 'client'> & { schoolId: string }>(
    db(),
    sql`SELECT a.username AS login, a.id AS "accountId", s.id AS "staffId", s.name, s.campus_id AS "campusId", s.kind, s.school_id AS "schoolId",
               EXISTS (SELECT 1 FROM school_roles sr WHERE sr.school_id = s.school_id AND sr.account_id = a.id AND sr.role IN ('duty', 'school_admin')) AS leader
          FROM staff s JOIN accounts a ON a.id = s.account_id
         WHERE a.username IN (${sql.join(
           logins.map((l) => sql`${l}`),
           sql`, `,
         )}) ORDER BY a.username`,
  );
  const parties: Party[] = rows.map((p) => ({ ...p, client: clients[p.login] }));
  expect(parties.map((p) => p.login).sort(), 'every swap party has a staff record').toEqual([...logins].sort());
  const schoolId = rows[0].schoolId;
  const planned: Swap[] = [];
  let termId = '';

  /** Chooses the swap days and outcomes over the run's school days (one swap a day: the legs never interfere). */
  async function plan(schoolDays: string[]) {
    [{ termId }] = await queryRows<{ termId: string }>(
      db(),
      sql`SELECT id AS "termId" FROM terms WHERE school_id = ${schoolId} AND starts_on <= ${schoolDays[0]}::date AND ends_on >= ${schoolDays[0]}::date`,
    );
    const campus = new Map(
      (
        await queryRows<{ id: string; campus_id: string }>(db(), sql`SELECT id, campus_id FROM care_groups WHERE school_id = ${schoolId}`)
      ).map((g) => [g.id, g.campus_id]),
    );
    const rota = ok(await office.get(`/api/rota/terms/${termId}?from=${schoolDays[0]}&to=${schoolDays[schoolDays.length - 1]}`), 'rota');
    // who could give what to whom on each day: the taker free in that slot (duty is the afternoon), on the group's campus, own staff for duty
    const options = new Map<string, Omit<Swap, 'askOn' | 'outcome'>[]>();
    for (const d of rota.days as { date: string; entries: RotaEntry[] }[]) {
      if (!schoolDays.includes(d.date)) continue;
      const list: Omit<Swap, 'askOn' | 'outcome'>[] = [];
      for (const giver of parties)
        for (const e of d.entries) {
          if (e.staffId !== giver.staffId || (e.groupId && e.slot !== 'afternoon' && e.slot !== 'late')) continue;
          for (const taker of parties) {
            if (taker === giver || d.entries.some((x) => x.staffId === taker.staffId && x.slot === e.slot)) continue;
            if (e.groupId ? taker.campusId && taker.campusId !== campus.get(e.groupId) : taker.kind !== 'own') continue;
            list.push({ day: d.date, giver, taker, groupId: e.groupId });
          }
        }
      if (list.length) options.set(d.date, list);
    }
    const days = schoolDays.filter((d) => options.has(d));
    // a group passed between two care teachers shows the most (the giver turned away): one such day if there is one
    const carers = (o: Omit<Swap, 'askOn' | 'outcome'>) => !!o.groupId && !o.giver.leader && !o.taker.leader;
    const best = days.filter((d) => options.get(d)?.some(carers));
    const must = best.length ? r.pick(best) : undefined;
    const chosen = days.filter((d) => d === must || r.chance(0.4));
    while (chosen.length < Math.min(2, days.length)) {
      const d = r.pick(days.filter((x) => !chosen.includes(x)));
      chosen.push(d);
    }
    chosen.sort();
    const outcomes: Outcome[] = chosen.map(() => (r.chance(0.5) ? 'approved' : r.chance(0.5) ? 'refused' : 'declined'));
    if (chosen.length >= 2) {
      if (!outcomes.includes('approved')) outcomes[Math.floor(r.next() * outcomes.length)] = 'approved';
      if (!outcomes.some((o) => o !== 'approved'))
        outcomes[Math.floor(r.next() * outcomes.length)] = r.chance(0.5) ? 'refused' : 'declined';
    }
    for (const [i, day] of chosen.entries()) {
      const before = schoolDays.filter((d) => d < day).slice(-3);
      const askOn = before.length && r.chance(0.8) ? r.pick(before) : day;
      const list = options.get(day) ?? [];
      const pick = day === must || (list.some(carers) && r.chance(0.5)) ? r.pick(list.filter(carers)) : r.pick(list);
      planned.push({ ...pick, askOn, outcome: outcomes[i] });
    }
    return planned;
  }

  /** The giver asks; the colleague answers at once; until the office decides, the rota still shows the giver (R8). */
  async function ask(s: Swap, at: string) {
    env.setTime(at);
    const asked = ok(
      await s.giver.client.post('/api/swaps', {
        colleagueStaffId: s.taker.staffId,
        give: { day: s.day, groupId: s.groupId },
        reason: s.groupId ? '参加区教研活动' : '外出培训',
      }),
      `swap ${s.day} asked by ${s.giver.login}`,
      201,
    );
    s.id = asked.id;
    stats.swaps++;
    if (!s.groupId) stats.swapDutyDays++;
    const answer = s.outcome === 'declined' ? 'decline' : 'accept';
    expect(ok(await s.taker.client.post(`/api/swaps/${s.id}/${answer}`), `swap ${answer}`).status).toBe(
      `${answer}${answer === 'accept' ? 'ed' : 'd'}`,
    );
    const rota = ok(await office.get(`/api/rota/terms/${termId}?from=${s.day}&to=${s.day}`), 'rota of the swap day');
    const entries: RotaEntry[] = rota.days[0].entries;
    if (s.groupId) expect(entries.find((e) => e.groupId === s.groupId)?.staffId, 'before approval').toBe(s.giver.staffId);
    else
      expect(
        entries.filter((e) => !e.groupId).map((e) => e.staffId),
        'before approval',
      ).toContain(s.giver.staffId);
  }

  /** Morning of a school day: swaps asked for today, then the office's decisions on today's swaps. */
  async function morning(day: string) {
    for (const s of planned.filter((x) => x.askOn === day && x.day === day)) await ask(s, `${day}T07:30`);
    env.setTime(`${day}T08:00`);
    for (const s of planned.filter((x) => x.day === day)) {
      if (s.outcome === 'declined') {
        // a declined swap is over: the office cannot approve it any more
        expect(ok(await office.post(`/api/swaps/${s.id}/approve`, {}), 'approve declined', 409).code).toBe('SWAP_ALREADY_DECIDED');
        stats.swapsDeclined++;
        continue;
      }
      const approve = s.outcome === 'approved';
      const res = ok(
        await office.post(`/api/swaps/${s.id}/${approve ? 'approve' : 'refuse'}`, { note: approve ? '同意' : '当天人手不足' }),
        'decide',
      );
      expect(res.status).toBe(s.outcome);
      stats[approve ? 'swapsApproved' : 'swapsRefused']++;
    }
  }

  /** Evening of a school day: swaps asked for coming days. */
  async function evening(day: string) {
    for (const s of planned.filter((x) => x.askOn === day && x.day > day)) await ask(s, `${day}T19:30`);
  }

  /**
   * At roll call on a swap's day (`owner`: the care teachers' groups by their own /daily/today): the holder
   * has the group, the other party is turned away with 403, the console names the holder. Returns the
   * account that must have written each swapped group's roll call.
   */
  async function onTheDay(day: string, owner: Map<string, Client>): Promise<Map<string, string>> {
    const writers = new Map<string, string>();
    const today = planned.filter((s) => s.day === day);
    if (!today.length) return writers;
    const board = ok(await office.get('/api/daily/duty'), 'duty console');
    const leaders: string[] = board.leaders.map((l: { id: string }) => l.id);
    // the day's duty leaders (by the rota) may act on any group, as the standing duty role does
    const leads = (p: Party) => p.leader || leaders.includes(p.staffId);
    for (const s of today) {
      const holder = s.outcome === 'approved' ? s.taker : s.giver;
      const other = s.outcome === 'approved' ? s.giver : s.taker;
      const what = `${day} swap ${s.outcome} ${s.giver.login} → ${s.taker.login}`;
      if (!s.groupId) {
        expect(leaders, `${what}: duty leaders`).toContain(holder.staffId);
        expect(leaders, `${what}: duty leaders`).not.toContain(other.staffId);
        continue;
      }
      if (!holder.leader) expect(owner.get(s.groupId) === holder.client, `${what}: the holder's today has the group`).toBe(true);
      expect(owner.get(s.groupId) === other.client, `${what}: the other's today has not`).toBe(false);
      if (!leads(other)) {
        const denied = await other.client.post(`/api/daily/groups/${s.groupId}/checkin`);
        expect(denied.status, `${what}: ${other.login} checks in`).toBe(403);
        stats.swapTurnedAway++;
      }
      expect(board.groups.find((g: { id: string }) => g.id === s.groupId)?.teacherName, `${what}: console`).toBe(holder.name);
      writers.set(s.groupId, holder.accountId);
    }
    return writers;
  }

  const leaderAccounts = () => new Set(parties.filter((p) => p.leader).map((p) => p.accountId));
  return {
    parties,
    planned,
    /** the run's swaps in one line, for the printed stats: `10-12 teacher→teacher2 group approved` */
    summary: () =>
      planned.map((s) => `${s.day.slice(5)} ${s.giver.login}→${s.taker.login} ${s.groupId ? 'group' : 'duty'} ${s.outcome}`).join(', '),
    plan,
    morning,
    evening,
    onTheDay,
    check: (day: string, weekday: number, writers: Map<string, string>) =>
      swapViolations(db(), schoolId, termId, day, weekday, writers, leaderAccounts()),
  };
}

/** Staff booked twice in one slot on `day` (a duty leader is busy in the afternoon), after the day's approved swaps. */
export async function bookingViolations(db: Db, schoolId: string, termId: string, day: string, weekday: number): Promise<string[]> {
  const groups = await queryRows<{ id: string; slot: string; teacher: string | null }>(
    db,
    sql`SELECT id, slot, teacher_staff_id AS teacher FROM care_groups WHERE school_id = ${schoolId} AND term_id = ${termId} AND weekday = ${weekday}`,
  );
  const duty = await queryRows<{ staff_id: string }>(
    db,
    sql`SELECT staff_id FROM duty_assignments WHERE school_id = ${schoolId} AND term_id = ${termId} AND weekday = ${weekday}`,
  );
  const legs = await queryRows<{ group_id: string | null; from_staff_id: string; to_staff_id: string }>(
    db,
    sql`SELECT l.group_id, l.from_staff_id, l.to_staff_id FROM shift_swap_legs l JOIN shift_swaps sw ON sw.school_id = l.school_id AND sw.id = l.swap_id
         WHERE l.school_id = ${schoolId} AND l.day = ${day}::date AND sw.status = 'approved' ORDER BY sw.decided_at, l.leg`,
  );
  const teacher = new Map(groups.map((g) => [g.id, g.teacher]));
  const leaders = duty.map((d) => d.staff_id);
  for (const l of legs) {
    if (l.group_id) teacher.set(l.group_id, l.to_staff_id);
    else {
      // a taker already leading that day stays listed twice: a clash
      if (leaders.includes(l.from_staff_id)) leaders.splice(leaders.indexOf(l.from_staff_id), 1);
      leaders.push(l.to_staff_id);
    }
  }
  const at = new Map<string, string[]>();
  const book = (staff: string | null | undefined, slot: string, what: string) => {
    if (!staff) return;
    const k = `${staff}|${slot}`;
    at.set(k, [...(at.get(k) ?? []), what]);
  };
  for (const g of groups) book(teacher.get(g.id), g.slot, `group ${g.id.slice(0, 8)}`);
  for (const s of leaders) book(s, 'afternoon', 'duty');
  return [...at.entries()]
    .filter(([, w]) => w.length > 1)
    .map(([k, w]) => `${day}: staff ${k.slice(0, 8)} booked twice in the ${k.split('|')[1]}: ${w.join(', ')}`);
}

/**
 * After the day: nobody booked twice; each swap's group (→ the account that must have worked it) marked,
 * checked in and released by that account only (a duty leader may release a relay pupil).
 */
export async function swapViolations(
  db: Db,
  schoolId: string,
  termId: string,
  day: string,
  weekday: number,
  writers: Map<string, string>,
  leaders: Set<string>,
): Promise<string[]> {
  const out = await bookingViolations(db, schoolId, termId, day, weekday);
  for (const [groupId, account] of writers) {
    const who = `${day} group ${groupId.slice(0, 8)}`;
    const rows = await queryRows<{ status: string; marked_by: string | null; released_by: string | null }>(
      db,
      sql`SELECT status, marked_by, released_by FROM attendance WHERE school_id = ${schoolId} AND day = ${day}::date AND group_id = ${groupId}`,
    );
    for (const r of rows) {
      if (r.marked_by && r.marked_by !== account)
        out.push(`${who}: roll call by account ${r.marked_by.slice(0, 8)}, not the day's teacher`);
      if (r.released_by && r.released_by !== account && !leaders.has(r.released_by))
        out.push(`${who}: released by account ${r.released_by.slice(0, 8)}, not the day's teacher`);
    }
    if (rows.some((r) => r.status !== 'leave') && !rows.some((r) => r.marked_by === account))
      out.push(`${who}: the day's teacher took no roll call`);
    const [checkin] = await queryRows<{ account_id: string }>(
      db,
      sql`SELECT account_id FROM teacher_checkins WHERE school_id = ${schoolId} AND day = ${day}::date AND group_id = ${groupId}`,
    );
    if (checkin && checkin.account_id !== account)
      out.push(`${who}: checked in by account ${checkin.account_id.slice(0, 8)}, not the day's teacher`);
  }
  return out;
}
