/**
 * Shift swaps (R8): a member of staff asks to give a shift to a named colleague (or to swap it for
 * one of theirs); the colleague may accept or decline; the office approves or refuses. Every step is
 * one transaction with its audit row and the notifications of everyone concerned. Approval re-checks
 * the rota under row locks on the swap and on every party's staff row, so two approvals — or an
 * approval and the office's edit of a group's teacher, which locks the same rows — that would book
 * the same person twice are serialised and the second one sees the first.
 */
import { sql } from 'drizzle-orm';
import type { Leg, SwapStatus } from '../../../shared/rota';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { shiftSwapLegs, shiftSwaps } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { staffIdsOf, todayInChina } from '../daily/days';
import { notifyAccounts } from '../enrollment/notify';
import { checkLegs, lockStaff, staffRows } from './checks';
import { effectiveTeacher } from './effective';

/** where a notification opens: a party's own rota (phone), the office's rota with its approval queue */
const STAFF_LINK = '/m/rota';
const OFFICE_LINK = '/office/rota';

export interface LegIn {
  day: string;
  /** null: the duty day */
  groupId: string | null;
}

export interface SwapRow {
  id: string;
  term_id: string;
  requester_staff_id: string;
  colleague_staff_id: string;
  status: SwapStatus;
}

async function officeAccounts(db: Db, schoolId: string): Promise<string[]> {
  const rows = await queryRows<{ account_id: string }>(
    db,
    sql`SELECT DISTINCT account_id FROM school_roles WHERE school_id = ${schoolId} AND role = 'school_admin'`,
  );
  return rows.map((r) => r.account_id);
}

async function partyAccounts(db: Db, schoolId: string, swap: SwapRow): Promise<string[]> {
  const people = await staffRows(db, schoolId, [swap.requester_staff_id, swap.colleague_staff_id], todayInChina());
  return [...people.values()].map((p) => p.accountId).filter((a): a is string => !!a);
}

async function legsOf(db: Db, schoolId: string, swapId: string): Promise<Leg[]> {
  return queryRows<Leg>(
    db,
    sql`SELECT day::text AS day, group_id AS "groupId", from_staff_id AS "fromStaffId", to_staff_id AS "toStaffId"
          FROM shift_swap_legs WHERE school_id = ${schoolId} AND swap_id = ${swapId} ORDER BY leg`,
  );
}

/** The swap if the actor may see it: a party, or the office. Anyone else → 404. */
export async function visibleSwap(db: Db, actor: Actor, schoolId: string, id: string, lock = false) {
  const [s] = await queryRows<SwapRow>(
    db,
    sql`SELECT id, term_id, requester_staff_id, colleague_staff_id, status FROM shift_swaps WHERE school_id = ${schoolId} AND id = ${id}
        ${lock ? sql`FOR UPDATE` : sql``}`,
  );
  if (!s) throw notFound('调班申请');
  const mine = await staffIdsOf(db, schoolId, actor.accountId);
  const role = mine.includes(s.requester_staff_id) ? 'requester' : mine.includes(s.colleague_staff_id) ? 'colleague' : null;
  if (!role && !actor.permissions.has('swap.approve')) throw notFound('调班申请');
  return { swap: s, role, mine };
}

/** Who holds the shift now among the actor's staff records (a teacher acts through them). */
async function holderAmong(db: Db, schoolId: string, mine: string[], give: LegIn): Promise<string> {
  if (give.groupId) {
    const t = await effectiveTeacher(db, schoolId, give.day, give.groupId);
    if (t && mine.includes(t)) return t;
  }
  return mine[0];
}

export async function requestSwap(
  tx: Db,
  actor: Actor,
  schoolId: string,
  input: { colleagueStaffId: string; give: LegIn; take?: LegIn; reason: string },
  today = todayInChina(),
) {
  const mine = await staffIdsOf(tx, schoolId, actor.accountId);
  if (!mine.length) throw new AppError(422, 'NOT_STAFF', '只有教职工本人可以申请调班');
  const requester = await holderAmong(tx, schoolId, mine, input.give);
  if (mine.includes(input.colleagueStaffId)) throw new AppError(422, 'SWAP_WITH_SELF', '请选择另一位同事');
  const legs: Leg[] = [{ ...input.give, fromStaffId: requester, toStaffId: input.colleagueStaffId }];
  if (input.take) legs.push({ ...input.take, fromStaffId: input.colleagueStaffId, toStaffId: requester });
  const { termId } = await checkLegs(tx, schoolId, legs, today);
  const id = newId();
  await tx.insert(shiftSwaps).values({
    schoolId,
    id,
    termId,
    requesterStaffId: requester,
    colleagueStaffId: input.colleagueStaffId,
    requestedBy: actor.accountId,
    reason: input.reason,
  });
  await tx.insert(shiftSwapLegs).values(legs.map((l, i) => ({ schoolId, swapId: id, leg: i + 1, ...l })));
  await audit(tx, actor, schoolId, { action: 'swap.request', entity: 'shift_swap', entityId: id, detail: { legs, reason: input.reason } });
  const swap: SwapRow = {
    id,
    term_id: termId,
    requester_staff_id: requester,
    colleague_staff_id: input.colleagueStaffId,
    status: 'requested',
  };
  const colleague = (await partyAccounts(tx, schoolId, swap)).filter((a) => a !== actor.accountId);
  const notice = { kind: 'swap.requested', link: STAFF_LINK, payload: { swapId: id } };
  await notifyAccounts(tx, schoolId, colleague, {
    ...notice,
    title: `${actor.displayName} 请您接一个班次`,
    body: `${legs[0].day}${input.take ? `，并与您的 ${input.take.day} 班次互换` : ''}。请在“我的排班”中同意或拒绝。`,
  });
  await notifyAccounts(tx, schoolId, await officeAccounts(tx, schoolId), {
    ...notice,
    link: OFFICE_LINK,
    title: '新的调班申请待审批',
    body: `${actor.displayName}：${legs.map((l) => l.day).join('、')}`,
  });
  return id;
}

/** The colleague agrees or declines; the requester withdraws. Checked again on agreeing. */
export async function respond(
  tx: Db,
  actor: Actor,
  schoolId: string,
  id: string,
  what: 'accept' | 'decline' | 'cancel',
  today = todayInChina(),
) {
  const { swap, role } = await visibleSwap(tx, actor, schoolId, id, true);
  if (what === 'cancel' ? role !== 'requester' : role !== 'colleague')
    throw new AppError(422, 'SWAP_WRONG_PARTY', what === 'cancel' ? '只有申请人可以撤回' : '只有被邀请的同事可以同意或拒绝');
  const open: SwapStatus[] = what === 'cancel' ? ['requested', 'accepted'] : ['requested'];
  if (!open.includes(swap.status)) throw new AppError(409, 'SWAP_NOT_OPEN', '该调班申请已处理，不能再更改');
  if (what === 'accept') await checkLegs(tx, schoolId, await legsOf(tx, schoolId, id), today);
  const status: SwapStatus = what === 'accept' ? 'accepted' : what === 'decline' ? 'declined' : 'cancelled';
  await tx.execute(sql`UPDATE shift_swaps SET status = ${status}, accepted_at = CASE WHEN ${status} = 'accepted' THEN now() ELSE accepted_at END
                        WHERE school_id = ${schoolId} AND id = ${id}`);
  await audit(tx, actor, schoolId, { action: `swap.${what}`, entity: 'shift_swap', entityId: id });
  const others = (await partyAccounts(tx, schoolId, swap)).filter((a) => a !== actor.accountId);
  const title = { accept: '同事已同意接班，等待学校审批', decline: '同事拒绝了调班申请', cancel: '调班申请已撤回' }[what];
  await notifyAccounts(tx, schoolId, others, { kind: `swap.${status}`, title, link: STAFF_LINK, payload: { swapId: id } });
  return status;
}

/** The office approves or refuses. Approval locks the swap and every party and checks the rota again. */
export async function decide(tx: Db, actor: Actor, schoolId: string, id: string, approve: boolean, note: string, today = todayInChina()) {
  const { swap, role } = await visibleSwap(tx, actor, schoolId, id, true);
  // a relationship answer, not the permission gate (403 FORBIDDEN is the policy's alone)
  if (role) throw new AppError(422, 'SWAP_SELF_APPROVAL', '不能审批自己参与的调班');
  if (swap.status !== 'requested' && swap.status !== 'accepted')
    throw new AppError(409, 'SWAP_ALREADY_DECIDED', `该调班申请已${swap.status === 'approved' ? '批准' : '处理'}，不能重复审批`);
  const legs = await legsOf(tx, schoolId, id);
  if (approve) {
    // Lock every person any leg touches, in id order, as the office's group edits do (checks.ts lockStaff).
    await lockStaff(
      tx,
      schoolId,
      legs.flatMap((l) => [l.fromStaffId, l.toStaffId]),
    );
    await checkLegs(tx, schoolId, legs, today);
  }
  const status: SwapStatus = approve ? 'approved' : 'refused';
  await tx.execute(sql`UPDATE shift_swaps SET status = ${status}, decided_by = ${actor.accountId}, decided_at = clock_timestamp(), decision_note = ${note}
                        WHERE school_id = ${schoolId} AND id = ${id}`);
  await audit(tx, actor, schoolId, {
    action: `swap.${status === 'approved' ? 'approve' : 'refuse'}`,
    entity: 'shift_swap',
    entityId: id,
    detail: { note, legs },
  });
  await notifyAccounts(tx, schoolId, await partyAccounts(tx, schoolId, swap), {
    kind: `swap.${status}`,
    title: approve ? `调班已批准：${legs.map((l) => l.day).join('、')}` : '调班申请未获批准',
    body: note,
    link: STAFF_LINK,
    payload: { swapId: id },
  });
  return status;
}
