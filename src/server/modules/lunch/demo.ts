/**
 * Demo of lunch for school 1: the caterer's contract (both schools), this week's published menu,
 * last month's statement posted to the ledger (meals from the enrolment; no roll call was kept
 * then), a few 陪餐 entries, and the demo parent on the parent committee.
 */
import { sql } from 'drizzle-orm';
import { weekStartOf } from '../../../shared/lunch';
import { type Db, queryRows } from '../../db/client';
import type { DemoContext, DemoExtension } from '../../db/demo/extensions';
import { lunchAccompaniments, lunchContracts, lunchMenus, parentCommittee } from '../../db/schema';
import { todayInChina } from '../enrollment/published';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { termOf } from './calendar';
import { computeMonth } from './meals';
import { postMonth } from './statements.routes';

const MENU = [
  ['米饭', '番茄炒蛋', '红烧鸡腿', '清炒小白菜', '紫菜蛋花汤'],
  ['米饭', '土豆烧牛肉', '西兰花炒虾仁', '冬瓜排骨汤'],
  ['杂粮饭', '鱼香肉丝', '香菇青菜', '玉米胡萝卜汤'],
  ['米饭', '糖醋里脊', '蒜蓉生菜', '番茄豆腐汤', '苹果'],
  ['葱油拌面', '卤鸡蛋', '炒三丝', '绿豆汤', '香蕉'],
];

export const previousMonth = (day: string) => {
  const [y, m] = day.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

export const lunchDemo: DemoExtension = async (tx: Db, ctx: DemoContext) => {
  const today = todayInChina(ctx.today);
  const [s1, s2] = ctx.schoolIds;
  const contracts = [
    {
      schoolId: s1,
      catererName: '威海鲜厨餐饮管理有限公司',
      licenceNo: 'JY23710020012345',
      priceFen: 1200,
      fileRef: '实小后勤〔2026〕12号',
    },
    {
      schoolId: s2,
      catererName: '环翠区阳光营养配餐中心',
      licenceNo: 'JY23710020067890',
      priceFen: 1100,
      fileRef: '二实小后勤〔2026〕5号',
    },
  ];
  const [y] = today.split('-').map(Number);
  const m = Number(today.slice(5, 7));
  // the school year: September to the following summer
  const from = `${m >= 8 ? y : y - 1}-08-25`;
  const to = `${m >= 8 ? y + 1 : y}-07-15`;
  const ids: Record<string, string> = {};
  for (const c of contracts) {
    ids[c.schoolId] = newId();
    await tx.insert(lunchContracts).values({ ...c, id: ids[c.schoolId], validFrom: from, validTo: to, createdBy: ctx.accounts.admin });
    await tx.insert(lunchMenus).values({
      schoolId: c.schoolId,
      weekStart: weekStartOf(today),
      days: MENU.map((dishes, i) => ({ weekday: i + 1, dishes })),
      published: true,
      updatedBy: ctx.accounts.admin,
    });
  }

  // last month's statement in school 1's term; when the demo's places only started this month
  // (no meals last month), this month's to date, so the statement pages are never empty
  for (const month of [previousMonth(today), today.slice(0, 7)]) {
    const [term] = await queryRows<{ id: string }>(
      tx,
      sql`SELECT id FROM terms WHERE school_id = ${s1} AND starts_on <= ${`${month}-28`}::date AND ends_on >= ${`${month}-01`}::date
           ORDER BY starts_on DESC LIMIT 1`,
    );
    if (!term) continue;
    try {
      const computed = await computeMonth(tx, s1, await termOf(tx, s1, term.id), month);
      if (computed.meals > 0) {
        await postMonth(tx, s1, term.id, month, computed, ctx.accounts.admin);
        break;
      }
    } catch (e) {
      // a month outside the term's days or without a contract: try the next
      if (!(e instanceof AppError)) throw e;
    }
  }

  // 陪餐: the duty leaders ate with the pupils on the last few school days
  const leaders = await queryRows<{ id: string }>(
    tx,
    sql`SELECT DISTINCT s.id, s.name FROM duty_assignments d JOIN staff s ON s.school_id = d.school_id AND s.id = d.staff_id
         WHERE d.school_id = ${s1} ORDER BY s.name LIMIT 3`,
  );
  const notes = ['饭菜温度合适，分量足，学生反映鸡腿好吃', '青菜略咸，已反馈供餐单位', '餐具消毒记录齐全，留样规范'];
  for (let i = 0; i < leaders.length; i++) {
    const day = new Date(Date.parse(`${today}T00:00:00Z`) - (i + 1) * 86_400_000).toISOString().slice(0, 10);
    await tx.insert(lunchAccompaniments).values({
      schoolId: s1,
      id: newId(),
      day,
      staffId: leaders[i].id,
      notes: notes[i],
      rating: i === 1 ? 4 : 5,
      createdBy: ctx.accounts.admin,
    });
  }

  // the demo parent sits on school 1's parent committee (reads the aggregate lunch accounts)
  const [g] = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id FROM guardians WHERE school_id = ${s1} AND account_id = ${ctx.accounts.parent}`,
  );
  if (g) await tx.insert(parentCommittee).values({ schoolId: s1, guardianId: g.id, addedBy: ctx.accounts.admin });
};
