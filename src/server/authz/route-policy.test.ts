/**
 * The permission gate, proved route by route: every registered /api route declares a policy, and
 * every demo actor (anonymous, guardian, homeroom, care teacher, duty leader, office, district)
 * gets exactly what that policy and ROLE_PERMISSIONS allow. Expectations are derived, never listed
 * per route, so a new route is covered the day it is registered. Then the tenancy pass: another
 * school (or district) asking for this school's ids on every :id route gets 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Permission } from '../../shared/permissions';
import { buildApp, type KehouApp, type RegisteredRoute } from '../app';
import { type TestEnv, createTestEnv, describeEachDb, request, type Res } from '../test/harness';
import { type ActorName, Actors, addSecondDistrict, permissionsOfRoles, permittedActor } from '../test/actors';
import {
  type DemoIds,
  demoIds,
  fillUrl,
  hasRealIds,
  isDemoObject,
  isIdParam,
  isZod,
  paramNames,
  paramValue,
  refsOf,
  schemaOf,
  toQueryString,
  validSample,
} from '../test/route-samples';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HAS_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** The routes the gate cannot judge: no policy declared. */
export function routesWithoutPolicy(app: KehouApp): string[] {
  return app.registeredRoutes.filter((r) => r.url.startsWith('/api') && !r.policy).map((r) => `${r.method} ${r.url}`);
}

type Expectation = 'allowed' | 'unauthenticated' | 'forbidden';

/** What the gate must answer, from the declared policy and the actor's permissions. */
function expectationOf(route: RegisteredRoute, anonymous: boolean, permissions: Set<Permission>): Expectation {
  const p = route.policy;
  if (!p) return 'forbidden';
  if ('public' in p) return 'allowed';
  if (anonymous) return 'unauthenticated';
  if ('authenticated' in p) return 'allowed';
  return permissions.has(p.permission) ? 'allowed' : 'forbidden';
}

function verdict(e: Expectation, res: Res, validBody: boolean): string | null {
  const code = res.body?.code;
  if (res.status >= 500) return `answered ${res.status}`;
  if (res.status >= 400 && (typeof code !== 'string' || typeof res.body?.message !== 'string'))
    return `${res.status} without {code, message}`;
  if (e === 'unauthenticated') return res.status === 401 && code === 'UNAUTHENTICATED' ? null : `expected 401, got ${res.status} ${code}`;
  if (e === 'forbidden') return res.status === 403 && code === 'FORBIDDEN' ? null : `expected 403, got ${res.status} ${code}`;
  // Allowed: the gate let it through. With a valid body the handler ran, and an application 401
  // (INVALID_CREDENTIALS at login) is an answer, not a refusal; nothing may answer 403.
  if (res.status === 403) return `expected to pass the gate, got 403 ${code}`;
  if (res.status === 401 && (!validBody || code === 'UNAUTHENTICATED')) return `expected to pass the gate, got 401 ${code}`;
  return null;
}

const SCHOOL_ACTORS: ActorName[] = ['anonymous', 'guardian', 'homeroom', 'teacher', 'duty', 'admin', 'district'];

describeEachDb('route policies', (kind) => {
  let env: TestEnv;
  let ids: DemoIds;
  let actors: Actors;
  let routes: RegisteredRoute[];

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await addSecondDistrict(env.database.db);
    routes = env.app.registeredRoutes.filter((r) => r.url.startsWith('/api'));
    ids = await demoIds(env.database.db, routes);
    actors = new Actors(env.app, ids);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('registers the routes of every module', () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    for (const u of ['GET /api/health', 'POST /api/auth/login', 'GET /api/students', 'GET /api/family/children', 'GET /api/audit']) {
      expect(urls).toContain(u);
    }
  });

  it('every /api route declares a policy', () => {
    expect(routesWithoutPolicy(env.app)).toEqual([]);
  });

  it('every route validates its input with zod: each schema part is a zod schema, each path parameter is validated', () => {
    const problems: string[] = [];
    for (const r of routes) {
      const schema = (r.schema ?? {}) as Record<string, unknown>;
      for (const part of ['body', 'querystring', 'params', 'headers']) {
        if (schema[part] !== undefined && !isZod(schema[part])) problems.push(`${r.method} ${r.url}: ${part} is not a zod schema`);
      }
      const params = paramNames(r.url);
      if (params.length > 0) {
        const p = schemaOf(r, 'params');
        if (!p) problems.push(`${r.method} ${r.url}: path parameters without a params schema`);
        else {
          for (const n of params) {
            const real = Object.fromEntries(params.map((m) => [m, paramValue(r, m, ids.s1)]));
            const refuses = (v: string) => !p.safeParse({ ...real, [n]: v }).success;
            // an id is a uuid; any other parameter (a date, a version, a school code) is constrained
            if (
              isIdParam(r, n)
                ? refuses(crypto.randomUUID()) || !refuses('not-an-id')
                : !['', 'x'.repeat(1000), '../etc/passwd'].some(refuses)
            ) {
              problems.push(`${r.method} ${r.url}: :${n} is not validated`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('a route without a policy is caught by the check above and refused at run time (fail closed)', async () => {
    // a copy of the Database object: per-database module state (the daily events listener) is per app
    const app = await buildApp({ database: { ...env.database } });
    app.get('/api/test/unguarded', async () => ({ secret: true }));
    await app.ready();
    try {
      expect(routesWithoutPolicy(app)).toEqual(['GET /api/test/unguarded']);
      const res = await request(app, 'GET', '/api/test/unguarded');
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'NO_POLICY' });
    } finally {
      await app.close();
    }
  });

  it('the demo actors hold the roles the expectations are derived from', async () => {
    expect(await actors.roles('guardian')).toEqual(['guardian']);
    expect(await actors.roles('homeroom')).toEqual(['homeroom']);
    expect(await actors.roles('teacher')).toEqual(['teacher']);
    expect(await actors.roles('duty')).toEqual(['duty']);
    expect(await actors.roles('admin')).toEqual(['school_admin']);
    expect(await actors.roles('district')).toEqual(['district']);
    // what /api/auth/me reports is what ROLE_PERMISSIONS grants
    for (const name of SCHOOL_ACTORS.slice(1)) {
      const c = await actors.client(name);
      const me = await c!.get('/api/auth/me');
      expect(new Set(me.body.permissions), name).toEqual(permissionsOfRoles(me.body.roles));
    }
  });

  // Runs before the policy pass below, whose writes (DELETE …) may remove the sample objects.
  it('another school or district asking for school-1 ids on every :id route gets 404; the owner finds them', async () => {
    const failures: string[] = [];
    let checked = 0;
    // deletions last, so that every other route still finds the objects the owner is asked about
    const idRoutes = routes
      .filter((r) => paramNames(r.url).length > 0)
      .sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    const inconclusive: string[] = [];
    for (const route of idRoutes) {
      const idParams = paramNames(route.url).filter((p) => isIdParam(route, p));
      if (idParams.length === 0 || (route.policy && 'public' in route.policy)) continue;
      if (!hasRealIds(route, ids.s1)) {
        inconclusive.push(`${route.method} ${route.url}`); // the demo has no such object to ask for
        continue;
      }
      // named demo objects are known to be the owner's; an arbitrary row may not be (another
      // guardian's application, a version not yet filed): then only the foreign 404 is checked
      const strict = idParams.every((p) => isDemoObject(route.url, p, ids.s1));
      const foreign = await permittedActor(actors, route, ['admin2', 'guardian2', 'district2']);
      const owner = await permittedActor(actors, route, ['admin', 'guardian', 'district']);
      if (!foreign || !owner) {
        failures.push(`${route.method} ${route.url}: no demo actor holds ${JSON.stringify(route.policy)}`);
        continue;
      }
      const url = fillUrl(route, ids.s1);
      const bodySchema = schemaOf(route, 'body');
      const foreignBody = bodySchema ? validSample(bodySchema, refsOf(ids.s2)) : undefined;
      const res = await actors.send(foreign, route.method, url, foreignBody);
      // the same ids are real: the owning school's actor finds them
      const ownerBody = bodySchema ? validSample(bodySchema, refsOf(ids.s1)) : undefined;
      const mine = await actors.send(owner, route.method, url, ownerBody);
      if (mine.status >= 500 || (strict && mine.status === 404)) {
        failures.push(`${route.method} ${route.url} as owner ${owner}: ${mine.status} ${mine.body?.code}`);
      }
      // 404; or a 400 that the owner gets too (the body is refused before any lookup: nothing leaks)
      const refusedForBoth = res.status === 400 && mine.status === 400;
      if (!refusedForBoth && (res.status !== 404 || res.body?.code !== 'NOT_FOUND')) {
        failures.push(`${route.method} ${route.url} as ${foreign}: ${res.status} ${res.body?.code}`);
      }
      if (strict) checked++;
      else inconclusive.push(`${route.method} ${route.url}`);
    }
    expect(failures).toEqual([]);
    expect(checked, `checked strictly; only the foreign 404 for: ${inconclusive.join(', ')}`).toBeGreaterThanOrEqual(12);
  }, 300_000);

  describe('each actor gets exactly what the declared policy allows', () => {
    it.each(SCHOOL_ACTORS)(
      '%s',
      async (name) => {
        const anonymous = name === 'anonymous';
        const permissions = permissionsOfRoles(await actors.roles(name));
        const failures: string[] = [];
        let allowed = 0;
        let refused = 0;
        for (const route of routes) {
          const e = expectationOf(route, anonymous, permissions);
          if (e === 'allowed') allowed++;
          else refused++;
          const url = fillUrl(route, ids.s1);
          const q = schemaOf(route, 'querystring');
          const qs = q ? toQueryString(validSample(q, refsOf(ids.s1), true)) : '';
          const bodySchema = schemaOf(route, 'body');
          // a minimal body ({}), and a valid one built from the route's schema so the handler runs
          const bodies: { body: unknown; valid: boolean }[] = HAS_BODY.has(route.method)
            ? [{ body: {}, valid: false }]
            : [{ body: undefined, valid: !WRITES.has(route.method) }];
          const valid = bodySchema ? validSample(bodySchema, refsOf(ids.s1)) : undefined;
          if (valid !== undefined) bodies.push({ body: valid, valid: true });
          for (const b of bodies) {
            const res = await actors.send(name, route.method, url + qs, b.body);
            const v = verdict(e, res, b.valid);
            if (v) failures.push(`${route.method} ${route.url} (${b.valid ? 'valid' : 'minimal'} body): ${v}`);
          }
        }
        expect(failures).toEqual([]);
        // every actor is both let through somewhere and refused somewhere (the gate discriminates)
        expect(allowed).toBeGreaterThan(0);
        expect(refused).toBeGreaterThan(0);
      },
      300_000,
    );
  });

  it('an unknown id answers 404, the same as a foreign one', async () => {
    const admin = await actors.client('admin');
    const res = await admin!.get(`/api/students/${crypto.randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
