/**
 * buildApp(deps): the Fastify instance that main.ts listens with and tests `inject` into.
 */
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifySchema, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SESSION_COOKIE, loadActor } from './auth/actor';
import { withDayRoles } from './authz/day-roles';
import { checkPolicy, describePolicy, type RoutePolicy } from './authz/policy';
import type { Database } from './db/client';
import { AppError } from './lib/errors';
import { handleError } from './lib/error-handler';
import { securityHeaders } from './lib/security-headers';
import { registerModules } from './modules';
import { todayOf } from './modules/daily/days';
import type { OutboxOptions } from './modules/outbox/worker';

export interface AppDeps {
  database: Database;
  logger?: FastifyServerOptions['logger'];
  /** built web app directory; served at / when present */
  webDist?: string;
  /** which proxies' X-Forwarded-For/Proto to believe (Fastify trustProxy); default loopback */
  trustProxy?: boolean | string;
  /** login rate limit per IP per minute (tests raise it) */
  loginRateLimit?: number;
  /** the wall clock; tests and the multi-day simulation inject one to run chosen dates (default real time) */
  clock?: () => Date;
  /** the outbox worker started and stopped with the app (modules/outbox); tests may disable it */
  outbox?: OutboxOptions;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  policy: RoutePolicy | undefined;
  /** the route's params/querystring/body schemas (zod), for the tests that check and fuzz them */
  schema: FastifySchema | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    registeredRoutes: RegisteredRoute[];
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    logger: deps.logger ?? false,
    // X-Forwarded-* only from proxies we trust (default: one on this machine); otherwise a client
    // could fake its address past the login rate limit.
    trustProxy: deps.trustProxy ?? 'loopback',
    bodyLimit: 12 * 1024 * 1024,
    // a malformed or over-long URL (400/414) answers like every other error, not in Fastify's shape
    frameworkErrors: (err, req, reply) => handleError(err, req, reply),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);
  app.decorate('registeredRoutes', [] as RegisteredRoute[]);
  app.decorateRequest('actor', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api') || route.url.startsWith('/api/docs')) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      app.registeredRoutes.push({ method, url: route.url, policy: route.config?.policy, schema: route.schema });
    }
  });

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api') || !deps.webDist || req.method !== 'GET') {
      return reply.code(404).send({ code: 'NOT_FOUND', message: '没有这个地址' });
    }
    return reply.type('text/html').sendFile('index.html');
  });

  await app.register(cookie);
  const headers = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // The app is served over plain HTTP on the embedded install; HSTS belongs to the TLS proxy.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
  await app.register(rateLimit, { global: false });

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api') || req.url.startsWith('/api/docs')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (token) req.actor = await loadActor(deps.database, token, req.ip, todayOf(deps));
    const policy = req.routeOptions.config?.policy;
    if (!req.routeOptions.url) return; // unknown route: the not-found handler answers
    // the day's duty leader by the rota holds the duty role for today's requests (authz/day-roles.ts)
    if (req.actor && policy && !('public' in policy)) req.actor = await withDayRoles(deps.database.db, req.actor, todayOf(deps));
    checkPolicy(policy, req.actor);
    // CSRF: a cookie-authenticated write must echo the session's token in a header.
    if (req.actor && !SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== req.actor.csrfToken) {
      throw new AppError(403, 'CSRF', '页面已过期，请刷新后重试');
    }
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Kehou 课后 API', version: '0.1.0', description: '课后服务平台接口' },
      components: { securitySchemes: { cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const policy = (input.route.config as { policy?: RoutePolicy } | undefined)?.policy;
      (out.schema as Record<string, unknown>).description = `policy: ${describePolicy(policy)}`;
      return out;
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { policy: { public: true } }, schema: { hide: true } }, async () => app.swagger());

  await app.register(registerModules, { prefix: '/api' });

  if (deps.webDist && existsSync(join(deps.webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: deps.webDist, wildcard: false, index: 'index.html' });
  }
  return app;
}

export type KehouApp = Awaited<ReturnType<typeof buildApp>>;
