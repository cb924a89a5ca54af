import { and, eq, or, sql } from 'drizzle-orm';
import { PRIVACY_NOTICE_VERSION } from '../../../shared/roster';
import type { Role } from '../../../shared/permissions';
import { type Actor, SESSION_DAYS, hashToken, newToken } from '../../auth/actor';
import { hashPassword, verifyPassword } from '../../auth/passwords';
import type { Db } from '../../db/client';
import { accounts, consents, districtRoles, districts, schoolRoles, schools, sessions } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { auditPlatform } from '../audit/service';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export interface Context {
  kind: 'school' | 'district';
  id: string;
  name: string;
  roles: Role[];
}

export async function listContexts(db: Db, accountId: string): Promise<Context[]> {
  const sr = await db
    .select({ id: schools.id, name: schools.name, role: schoolRoles.role })
    .from(schoolRoles)
    .innerJoin(schools, eq(schools.id, schoolRoles.schoolId))
    .where(eq(schoolRoles.accountId, accountId))
    .orderBy(schools.name, schoolRoles.role);
  const byId = new Map<string, Context>();
  for (const r of sr) {
    const c = byId.get(r.id) ?? { kind: 'school' as const, id: r.id, name: r.name, roles: [] };
    c.roles.push(r.role as Role);
    byId.set(r.id, c);
  }
  const dr = await db
    .select({ id: districts.id, name: districts.name })
    .from(districtRoles)
    .innerJoin(districts, eq(districts.id, districtRoles.districtId))
    .where(eq(districtRoles.accountId, accountId));
  return [...byId.values(), ...dr.map((d) => ({ kind: 'district' as const, id: d.id, name: d.name, roles: ['district' as Role] }))];
}

let dummy: Promise<string> | undefined;
const dummyHash = () => {
  dummy ??= hashPassword('kehou-no-such-account');
  return dummy;
};

const invalidLogin = () => new AppError(401, 'INVALID_CREDENTIALS', '账号或密码错误');

export async function login(db: Db, input: { login: string; password: string; ip: string }) {
  const [acc] = await db
    .select()
    .from(accounts)
    .where(or(eq(accounts.username, input.login), eq(accounts.phone, input.login)))
    .limit(1);
  if (!acc) {
    // Spend the same time as a wrong password, so response times do not tell which accounts exist.
    await verifyPassword(await dummyHash(), input.password);
    await auditPlatform(db, { action: 'auth.login_failed', entity: 'account', ip: input.ip, detail: { login: input.login } });
    throw invalidLogin();
  }
  if (acc.lockedUntil && acc.lockedUntil > new Date()) {
    throw new AppError(423, 'ACCOUNT_LOCKED', `登录失败次数过多，账号已锁定，请在 ${LOCK_MINUTES} 分钟后再试`);
  }
  if (!(await verifyPassword(acc.passwordHash, input.password))) {
    // Counted in the database, not from the row read above: parallel wrong guesses all read the
    // same count, and writing `count + 1` from it would let any number of them through unlocked.
    const reachesLimit = sql`${accounts.failedLogins} + 1 >= ${MAX_FAILED_LOGINS}`;
    const [counted] = await db
      .update(accounts)
      .set({
        failedLogins: sql`CASE WHEN ${reachesLimit} THEN 0 ELSE ${accounts.failedLogins} + 1 END`,
        lockedUntil: sql`CASE WHEN ${reachesLimit} THEN now() + make_interval(mins => ${LOCK_MINUTES}) ELSE ${accounts.lockedUntil} END`,
      })
      .where(eq(accounts.id, acc.id))
      .returning({ failedLogins: accounts.failedLogins, lockedUntil: accounts.lockedUntil });
    const lock = counted?.failedLogins === 0 && counted.lockedUntil !== null;
    await auditPlatform(db, {
      action: lock ? 'auth.locked' : 'auth.login_failed',
      entity: 'account',
      entityId: acc.id,
      accountId: acc.id,
      ip: input.ip,
    });
    throw invalidLogin();
  }
  const contexts = await listContexts(db, acc.id);
  const first = contexts[0];
  const token = newToken();
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ failedLogins: 0, lockedUntil: null }).where(eq(accounts.id, acc.id));
    await tx.insert(sessions).values({
      tokenHash: hashToken(token),
      accountId: acc.id,
      csrfToken: newToken(),
      activeSchoolId: first?.kind === 'school' ? first.id : null,
      activeDistrictId: first?.kind === 'district' ? first.id : null,
      ip: input.ip,
      expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000),
    });
    await auditPlatform(tx, { action: 'auth.login', entity: 'account', entityId: acc.id, accountId: acc.id, ip: input.ip });
  });
  return token;
}

export async function logout(db: Db, actor: Actor) {
  await db.delete(sessions).where(eq(sessions.tokenHash, actor.sessionHash));
}

export async function switchContext(db: Db, actor: Actor, target: { kind: 'school' | 'district'; id: string }) {
  const contexts = await listContexts(db, actor.accountId);
  if (!contexts.some((c) => c.kind === target.kind && c.id === target.id)) {
    throw new AppError(404, 'NOT_FOUND', '没有这个学校或区县的身份');
  }
  await db
    .update(sessions)
    .set({
      activeSchoolId: target.kind === 'school' ? target.id : null,
      activeDistrictId: target.kind === 'district' ? target.id : null,
    })
    .where(eq(sessions.tokenHash, actor.sessionHash));
}

export async function changePassword(db: Db, actor: Actor, current: string, next: string) {
  const [acc] = await db.select().from(accounts).where(eq(accounts.id, actor.accountId));
  if (!acc || !(await verifyPassword(acc.passwordHash, current))) {
    throw new AppError(400, 'WRONG_PASSWORD', '当前密码不正确');
  }
  const hash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ passwordHash: hash }).where(eq(accounts.id, acc.id));
    // Other sessions of this account end: a changed password locks out whoever knew the old one.
    await tx.delete(sessions).where(and(eq(sessions.accountId, acc.id), sql`${sessions.tokenHash} <> ${actor.sessionHash}`));
    await auditPlatform(tx, { action: 'auth.password_changed', entity: 'account', entityId: acc.id, accountId: acc.id, ip: actor.ip });
  });
}

export async function consentRequired(db: Db, actor: Actor): Promise<boolean> {
  if (!actor.schoolId || !actor.roles.includes('guardian')) return false;
  const [row] = await db
    .select({ v: consents.noticeVersion })
    .from(consents)
    .where(
      and(
        eq(consents.schoolId, actor.schoolId),
        eq(consents.accountId, actor.accountId),
        eq(consents.noticeVersion, PRIVACY_NOTICE_VERSION),
      ),
    );
  return !row;
}

export async function accountSummary(db: Db, accountId: string) {
  const [acc] = await db
    .select({
      id: accounts.id,
      displayName: accounts.displayName,
      username: accounts.username,
      phone: accounts.phone,
      locale: accounts.locale,
    })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return acc;
}
