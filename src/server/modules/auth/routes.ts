import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE, SESSION_DAYS } from '../../auth/actor';
import { allowAuthenticated, allowPublic } from '../../authz/policy';
import { unauthenticated } from '../../lib/errors';
import { accountSummary, changePassword, consentRequired, listContexts, login, logout, switchContext } from './service';

const loginBody = z.object({ login: z.string().trim().min(1).max(64), password: z.string().min(1).max(128) });
const contextBody = z.object({ kind: z.enum(['school', 'district']), id: z.uuid() });
const passwordBody = z.object({
  current: z.string().min(1).max(128),
  next: z.string().min(8, '新密码至少 8 位').max(128),
});

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.post(
    '/auth/login',
    {
      config: { policy: allowPublic, rateLimit: { max: app.deps.loginRateLimit ?? 20, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: '登录', body: loginBody },
    },
    async (req, reply) => {
      const token = await login(db, { ...req.body, ip: req.ip });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: req.protocol === 'https',
        maxAge: SESSION_DAYS * 86_400,
      });
      return { ok: true };
    },
  );

  app.post(
    '/auth/logout',
    { config: { policy: allowAuthenticated }, schema: { tags: ['auth'], summary: '退出登录' } },
    async (req, reply) => {
      if (req.actor) await logout(db, req.actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  app.get('/auth/me', { config: { policy: allowAuthenticated }, schema: { tags: ['auth'], summary: '当前账号与身份' } }, async (req) => {
    const actor = req.actor;
    if (!actor) throw unauthenticated();
    const [account, contexts, needsConsent] = await Promise.all([
      accountSummary(db, actor.accountId),
      listContexts(db, actor.accountId),
      consentRequired(db, actor),
    ]);
    const activeId = actor.schoolId ?? actor.districtId;
    const active = contexts.find((c) => c.id === activeId) ?? null;
    return {
      account,
      contexts,
      active,
      roles: actor.roles,
      permissions: [...actor.permissions].sort(),
      // the rota makes this account today's duty leader (a swapped or timetabled duty day): `duty` is
      // in roles for today only
      dutyToday: actor.dutyToday ?? null,
      csrfToken: actor.csrfToken,
      consentRequired: needsConsent,
    };
  });

  app.post(
    '/auth/context',
    { config: { policy: allowAuthenticated }, schema: { tags: ['auth'], summary: '切换学校/身份', body: contextBody } },
    async (req) => {
      if (!req.actor) throw unauthenticated();
      await switchContext(db, req.actor, req.body);
      return { ok: true };
    },
  );

  app.post(
    '/auth/password',
    { config: { policy: allowAuthenticated }, schema: { tags: ['auth'], summary: '修改密码', body: passwordBody } },
    async (req) => {
      if (!req.actor) throw unauthenticated();
      await changePassword(db, req.actor, req.body.current, req.body.next);
      return { ok: true };
    },
  );
};
