/**
 * Every registered route against bad input, as an actor the route's policy lets through (the
 * office, the guardian for family routes, the bureau for district routes): malformed JSON, bodies
 * of the wrong shape, wrong types, missing fields, unknown enum values, over-long strings, huge
 * numbers, non-id path parameters, prototype-pollution keys, oversized bodies, and fast-check
 * bodies, query strings and path parameters. Never a 500; a failure is always JSON {code, message};
 * what the route's own zod schema refuses is a 400; unknown ids are 404; and a request that fails
 * wrote no row: a trigger counts every row written to the data tables, and the count must not move.
 * Finally, with the audit log refusing writes, no route can change school data: each write and its
 * audit entry are one transaction.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import type { RegisteredRoute } from '../app';
import type { Db } from '../db/client';
import { type Res, type TestEnv, createTestEnv, describeEachDb } from '../test/harness';
import { dataTables, fingerprint, installWriteCounter, rowCounts, writeCount } from '../test/db-probes';
import { type ActorName, Actors, permittedActor } from '../test/actors';
import {
  type DemoIds,
  demoIds,
  fillUrl,
  hasRealIds,
  isIdParam,
  jsonRoundTrip,
  paramNames,
  paramValue,
  refsOf,
  schemaOf,
  toQueryString,
  validSample,
} from '../test/route-samples';

type Json = Record<string, unknown>;
const FUZZ_RUNS = 30;
/** path parameters are single strings: fewer runs find what there is to find */
const PARAM_RUNS = 10;
const SLOW = 600_000;

/** The JSON Schema properties of an object schema (empty for anything else). */
function propertiesOf(schema: z.ZodType): Record<string, Json> {
  try {
    const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
    return (js.properties ?? {}) as Record<string, Json>;
  } catch {
    return {};
  }
}

const branchesOf = (p: Json): Json[] => (p.anyOf ?? p.oneOf ?? [p]) as Json[];
const has = (p: Json, test: (b: Json) => boolean) => branchesOf(p).some(test);

/** Replacement values for one field: wrong types, unknown enum values, too long, too big, not an id. */
function badValuesFor(p: Json): unknown[] {
  const out: unknown[] = [{}, null];
  if (has(p, (b) => b.type === 'string')) out.push(12345, 'x'.repeat(10_000), 'a\u0000b');
  else out.push('text');
  if (has(p, (b) => Array.isArray(b.enum))) out.push('NOT_A_VALUE');
  if (has(p, (b) => b.type === 'number' || b.type === 'integer')) out.push(1e308, -1, 1.5);
  if (has(p, (b) => b.format === 'uuid')) out.push('not-a-uuid');
  return out;
}

const BAD_QUERY_VALUES = ['abc', '-1', '1.5', '1e400', '99999999999999999999', 'x'.repeat(5_000), 'NOT_A_VALUE', '\u0000'];
const NON_ID_PARAMS = ['not-a-uuid', '1', "1' OR '1'='1", '../../etc/passwd', '%00', 'x'.repeat(5_000), `${randomUUID()}0`];

describeEachDb('bad input', (kind) => {
  let env: TestEnv;
  let db: Db;
  let ids: DemoIds;
  let actors: Actors;
  let routes: RegisteredRoute[];
  let tables: string[];
  const problems: string[] = [];
  let sent = 0;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    db = env.database.db;
    routes = env.app.registeredRoutes.filter((r) => r.url.startsWith('/api'));
    ids = await demoIds(db, routes);
    actors = new Actors(env.app, ids);
    tables = await dataTables(db);
    await installWriteCounter(db, tables);
    // log the acting sessions in (and accept the guardian's notice) before anything is measured
    for (const a of ['admin', 'guardian', 'district'] as ActorName[]) await actors.roles(a);
  });
  afterAll(async () => {
    await env?.close();
  });

  const actorFor = async (r: RegisteredRoute) => (await permittedActor(actors, r)) ?? 'admin';
  const label = (r: RegisteredRoute, what: string) => `${r.method} ${r.url} ${what}`;
  const withBody = () => routes.filter((r) => schemaOf(r, 'body'));
  const withQuery = () => routes.filter((r) => schemaOf(r, 'querystring'));
  const withParams = () => routes.filter((r) => paramNames(r.url).length > 0);
  /** The route's url with real school-1 values, except `param`, which gets `value`. */
  const urlWith = (r: RegisteredRoute, param: string, value: string) =>
    fillUrl(r, ids.s1, (p) => (p === param ? value : paramValue(r, p, ids.s1)));

  async function sendRaw(actor: ActorName, method: string, url: string, payload: string | Buffer, contentType: string): Promise<Res> {
    const c = await actors.client(actor);
    const headers: Record<string, string> = { 'content-type': contentType };
    if (c) Object.assign(headers, { cookie: c.cookie, 'x-csrf-token': c.csrf });
    const res = await env.app.inject({ method: method as 'POST', url, payload, headers });
    let body: unknown = res.body;
    try {
      body = res.json();
    } catch {}
    return { status: res.statusCode, body, headers: res.headers, raw: res.rawPayload };
  }

  interface Attempt {
    label: string;
    actor: ActorName;
    method: string;
    url: string;
    body?: unknown;
    raw?: { payload: string | Buffer; contentType: string };
    /** the route's schema refuses the input: the answer must be 400 VALIDATION */
    refused?: boolean;
    /** the statuses the answer must have */
    expect?: number[];
  }

  /**
   * Sends one request and judges it: never 5xx; an error is JSON {code, message}; what the schema
   * refuses is 400 VALIDATION; and a failed request wrote no row (the write counter did not move).
   */
  let knownCount: number | undefined; // the write count after the last attempt, while nothing else ran
  let knownLogins = -1;
  async function attempt(a: Attempt): Promise<Res> {
    await actors.client(a.actor); // a new login (after a logout) is not part of the measurement
    const before = knownCount !== undefined && knownLogins === actors.logins ? knownCount : await writeCount(db);
    const res = a.raw
      ? await sendRaw(a.actor, a.method, a.url, a.raw.payload, a.raw.contentType)
      : await actors.send(a.actor, a.method, a.url, a.body);
    const after = await writeCount(db);
    knownCount = after;
    knownLogins = actors.logins;
    const written = after - before;
    sent++;
    const said = `${res.status} ${res.body?.code ?? ''}`.trim();
    if (res.status >= 500) problems.push(`${a.label}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
    else if (res.status >= 400 && (typeof res.body?.code !== 'string' || typeof res.body?.message !== 'string')) {
      problems.push(`${a.label}: ${res.status} without {code, message}: ${String(res.raw).slice(0, 100)}`);
    }
    // (a body with a __proto__ key is refused by the JSON parser first: 400 BAD_REQUEST)
    if (a.refused && (res.status !== 400 || !['VALIDATION', 'BAD_REQUEST'].includes(res.body?.code))) {
      problems.push(`${a.label}: the schema refuses it, the route said ${said}`);
    }
    if (a.expect && !a.expect.includes(res.status)) problems.push(`${a.label}: expected ${a.expect.join('/')}, got ${said}`);
    if (res.status >= 400 && written !== 0) problems.push(`${a.label}: failed with ${said} but wrote ${written} row(s)`);
    return res;
  }

  function flush() {
    expect(problems.splice(0)).toEqual([]);
  }

  /** For fast-check: fails the run with what went wrong. */
  function noNewProblems(before: number) {
    if (problems.length > before) throw new Error(problems.slice(before).join('\n'));
  }

  /** The params object the server would validate, with `param` set to `value`. */
  const paramsWith = (r: RegisteredRoute, param: string, value: string) =>
    Object.fromEntries(paramNames(r.url).map((p) => [p, p === param ? value : paramValue(r, p, ids.s1)]));

  it(
    'a write whose audit entry cannot be written leaves no trace (data and audit in one transaction)',
    async () => {
      await db.execute(sql`CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit refused by the test' USING ERRCODE = '23514'; END $$`);
      await db.execute(sql`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`);
      // district actions are audited in the platform log; logins stay possible
      await db.execute(sql`CREATE TRIGGER test_refuse_platform_audit BEFORE INSERT ON platform_audit_log
        FOR EACH ROW WHEN (NEW.action NOT LIKE 'auth.%') EXECUTE FUNCTION test_refuse_audit()`);
      const refusedBy409: string[] = [];
      const counts = await rowCounts(db, tables);
      const prints = await fingerprint(db, tables);
      try {
        for (const r of routes) {
          if (r.policy && 'public' in r.policy) continue;
          const actor = await actorFor(r);
          const refs = refsOf(ids.s1);
          const q = schemaOf(r, 'querystring');
          const b = schemaOf(r, 'body');
          const url = fillUrl(r, ids.s1) + (q ? toQueryString(validSample(q, refs, 'required')) : '');
          const body = b ? (validSample(b, refs) ?? {}) : undefined;
          await actors.client(actor);
          const before = await writeCount(db);
          const res = await actors.send(actor, r.method, url, body);
          const written = (await writeCount(db)) - before;
          if (res.status >= 500) problems.push(label(r, `with the audit refusing: ${res.status} ${JSON.stringify(res.body)}`));
          if (written !== 0) problems.push(label(r, `wrote ${written} row(s) (answered ${res.status}) although its audit entry failed`));
          if (res.status === 409 && res.body?.code === 'CONSTRAINT') refusedBy409.push(`${r.method} ${r.url}`);
        }
      } finally {
        await db.execute(sql`DROP TRIGGER test_refuse_audit ON audit_log`);
        await db.execute(sql`DROP TRIGGER test_refuse_platform_audit ON platform_audit_log`);
        await db.execute(sql`DROP FUNCTION test_refuse_audit()`);
      }
      flush();
      // every data table has the rows it had, with the same content
      expect(await rowCounts(db, tables)).toEqual(counts);
      expect(await fingerprint(db, tables)).toEqual(prints);
      knownCount = undefined;
      // the trigger really stood in the way: creating, editing, reading a pupil's file
      expect(refusedBy409).toEqual(
        expect.arrayContaining(['POST /api/campuses', 'GET /api/students/:id', 'POST /api/students', 'PATCH /api/district/schools/:id']),
      );
      // and without it the same write goes through
      const admin = await actors.client('admin');
      expect((await admin!.post('/api/campuses', { name: `事务校区 ${kind}` })).status).toBe(200);
    },
    SLOW,
  );

  it(
    'malformed JSON, an empty body and JSON that is not an object are 400 {code, message} on every route with a body',
    async () => {
      const raw = ['{"name":', '[1,2', "{'a':1}", '\u0000', '{"a":"\\u00"}', ''];
      const notObjects = ['[]', '"text"', 'null'];
      for (const r of withBody()) {
        const actor = await actorFor(r);
        const url = fillUrl(r, ids.s1);
        const schema = schemaOf(r, 'body') as z.ZodType;
        for (const p of raw) {
          await attempt({
            label: label(r, `raw ${JSON.stringify(p)}`),
            actor,
            method: r.method,
            url,
            raw: { payload: p, contentType: 'application/json' },
            expect: [400],
          });
        }
        for (const p of notObjects) {
          const refused = !schema.safeParse(JSON.parse(p)).success;
          await attempt({
            label: label(r, `JSON ${p}`),
            actor,
            method: r.method,
            url,
            raw: { payload: p, contentType: 'application/json' },
            refused,
          });
        }
      }
      flush();
    },
    SLOW,
  );

  it(
    'wrong types, missing fields, unknown enum values, over-long strings, huge numbers, bad ids: field by field, 400 where the schema refuses',
    async () => {
      const start = sent;
      for (const r of withBody()) {
        const schema = schemaOf(r, 'body') as z.ZodType;
        const actor = await actorFor(r);
        const url = fillUrl(r, ids.s1);
        const valid = validSample(schema, refsOf(ids.s1), 'all') ?? validSample(schema, refsOf(ids.s1));
        if (valid === undefined || typeof valid !== 'object' || valid === null) continue; // not a JSON object (a file upload)
        const full = valid as Json;
        for (const [k, p] of Object.entries(propertiesOf(schema))) {
          const without: Json = {};
          for (const [key, v] of Object.entries(full)) if (key !== k) without[key] = v;
          const variants: Json[] = [without, ...badValuesFor(p).map((v) => ({ ...full, [k]: v }))];
          for (const body of variants) {
            const refused = !schema.safeParse(jsonRoundTrip(body)).success;
            const what = k in body ? JSON.stringify(body[k]).slice(0, 30) : '<missing>';
            await attempt({ label: label(r, `${k}=${what}`), actor, method: r.method, url, body, refused });
          }
        }
        // unknown fields are dropped, never stored or echoed
        const extra = await attempt({
          label: label(r, 'extra fields'),
          actor,
          method: r.method,
          url,
          body: { ...full, isAdmin: true, schoolId: ids.s2.school, school_id: ids.s2.school },
        });
        if (extra.status < 300 && JSON.stringify(extra.body).includes(ids.s2.school)) problems.push(label(r, 'echoed a foreign school id'));
      }
      flush();
      expect(sent - start).toBeGreaterThan(100);
    },
    SLOW,
  );

  it(
    'query strings: non-numbers, huge and long values, unknown enum values, repeated keys are 400 where the schema refuses',
    async () => {
      for (const r of withQuery()) {
        const schema = schemaOf(r, 'querystring') as z.ZodType;
        const actor = await actorFor(r);
        const url = fillUrl(r, ids.s1);
        const b = schemaOf(r, 'body');
        const body = b ? validSample(b, refsOf(ids.s1)) : undefined;
        for (const k of Object.keys(propertiesOf(schema))) {
          for (const v of [...BAD_QUERY_VALUES, ['1', '2']]) {
            const q = Array.isArray(v) ? v.map((x) => `${k}=${x}`).join('&') : `${k}=${encodeURIComponent(v)}`;
            const refused = !schema.safeParse({ [k]: v }).success;
            await attempt({ label: label(r, `?${q.slice(0, 30)}`), actor, method: r.method, url: `${url}?${q}`, body, refused });
          }
        }
      }
      flush();
    },
    SLOW,
  );

  it(
    'path parameters that are not ids are refused (400, or 404 when no route matches); unknown ids are 404',
    async () => {
      let unknown = 0;
      for (const r of withParams()) {
        const actor = await actorFor(r);
        const b = schemaOf(r, 'body');
        const body = b ? validSample(b, refsOf(ids.s1)) : undefined;
        const params = schemaOf(r, 'params');
        for (const p of paramNames(r.url)) {
          for (const bad of NON_ID_PARAMS) {
            // 400 where the params schema refuses the value (404 if no route matches, 414 if too long)
            const refused = !params?.safeParse(paramsWith(r, p, bad)).success;
            await attempt({
              label: label(r, `:${p}=${bad.slice(0, 20)}`),
              actor,
              method: r.method,
              url: urlWith(r, p, bad),
              body,
              expect: refused ? [400, 404, 414] : undefined,
            });
          }
          if (!isIdParam(r, p) || !hasRealIds(r, ids.s1)) continue;
          for (const id of [randomUUID(), '00000000-0000-0000-0000-000000000000']) {
            const res = await attempt({ label: label(r, `:${p}=${id}`), actor, method: r.method, url: urlWith(r, p, id), body });
            unknown++;
            if (res.status === 404 && res.body?.code === 'NOT_FOUND') continue;
            // a 400 is fine only if the same body is refused with the real ids too (nothing looked up)
            const real = res.status === 400 ? await actors.send(actor, r.method, fillUrl(r, ids.s1), body) : undefined;
            knownCount = undefined;
            if (real?.status !== 400) problems.push(label(r, `:${p}=${id}: expected 404, got ${res.status} ${res.body?.code}`));
          }
        }
      }
      flush();
      expect(unknown).toBeGreaterThan(10);
    },
    SLOW,
  );

  it(
    'prototype-pollution keys are refused and pollute nothing',
    async () => {
      const payloads = [
        '{"__proto__":{"polluted":"yes"}}',
        '{"a":{"__proto__":{"polluted":"yes"}}}',
        '{"constructor":{"prototype":{"polluted":"yes"}}}',
        '{"name":"x","__proto__":{"isAdmin":true}}',
      ];
      for (const r of withBody()) {
        const actor = await actorFor(r);
        for (const p of payloads) {
          await attempt({
            label: label(r, p),
            actor,
            method: r.method,
            url: fillUrl(r, ids.s1),
            raw: { payload: p, contentType: 'application/json' },
            expect: [400],
          });
        }
      }
      flush();
      expect(({} as Json).polluted).toBeUndefined();
      expect(({} as Json).isAdmin).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    },
    SLOW,
  );

  it(
    'oversized bodies and unsupported content types are refused with {code, message}',
    async () => {
      const huge = `{"name":"${'x'.repeat(13 * 1024 * 1024)}"}`;
      for (const r of withBody()) {
        const actor = await actorFor(r);
        const url = fillUrl(r, ids.s1);
        await attempt({
          label: label(r, '13 MB'),
          actor,
          method: r.method,
          url,
          raw: { payload: huge, contentType: 'application/json' },
          expect: [413],
        });
        for (const ct of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
        ]) {
          await attempt({
            label: label(r, ct),
            actor,
            method: r.method,
            url,
            raw: { payload: 'name=x', contentType: ct },
            expect: [400, 415],
          });
        }
      }
      flush();
    },
    SLOW,
  );

  it(
    `fuzz: arbitrary JSON bodies never cause a 500 (fast-check, ${FUZZ_RUNS} runs per route)`,
    async () => {
      for (const r of withBody()) {
        const schema = schemaOf(r, 'body') as z.ZodType;
        const actor = await actorFor(r);
        const url = fillUrl(r, ids.s1);
        const keys = Object.keys(propertiesOf(schema));
        const valid = validSample(schema, refsOf(ids.s1), 'all') ?? validSample(schema, refsOf(ids.s1));
        const anyValue = fc.anything({ stringUnit: 'binary', maxDepth: 2 });
        // objects with the route's own keys, each the valid value or anything at all
        const nearlyValid =
          keys.length > 0 && valid && typeof valid === 'object'
            ? fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof(fc.constant((valid as Json)[k]), anyValue)])), { requiredKeys: [] })
            : fc.object();
        const arb = fc.oneof(anyValue, fc.object({ stringUnit: 'binary', maxDepth: 2 }), nearlyValid);
        await fc.assert(
          fc.asyncProperty(arb, async (b) => {
            const body = jsonRoundTrip(b) ?? null;
            const before = problems.length;
            const refused = !schema.safeParse(body).success;
            await attempt({ label: label(r, `fuzz ${JSON.stringify(body).slice(0, 80)}`), actor, method: r.method, url, body, refused });
            noNewProblems(before);
          }),
          { numRuns: FUZZ_RUNS, endOnFailure: true },
        );
        // a route that takes a file also gets random bytes
        if (schema.safeParse(Buffer.alloc(1)).success) {
          await fc.assert(
            fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
              const before = problems.length;
              const raw = { payload: Buffer.from(bytes), contentType: 'application/octet-stream' };
              await attempt({ label: label(r, `fuzz ${bytes.length} bytes`), actor, method: r.method, url, raw });
              noNewProblems(before);
            }),
            { numRuns: FUZZ_RUNS, endOnFailure: true },
          );
        }
      }
      flush();
    },
    SLOW,
  );

  it(
    `fuzz: arbitrary query strings and path parameters never cause a 500 (fast-check, ${FUZZ_RUNS} runs per route)`,
    async () => {
      const text = fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.constantFrom('\u0000', '-0', '1e309', 'NaN', '[]', '%', '_'),
      );
      for (const r of withQuery()) {
        const schema = schemaOf(r, 'querystring') as z.ZodType;
        const actor = await actorFor(r);
        const url = fillUrl(r, ids.s1);
        const b = schemaOf(r, 'body');
        const body = b ? validSample(b, refsOf(ids.s1)) : undefined;
        const keys = [...Object.keys(propertiesOf(schema)), 'x'];
        await fc.assert(
          fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), text, { maxKeys: 4 }), async (q) => {
            const before = problems.length;
            const refused = !schema.safeParse(q).success;
            await attempt({
              label: label(r, `fuzz ${toQueryString(q).slice(0, 60)}`),
              actor,
              method: r.method,
              url: url + toQueryString(q),
              body,
              refused,
            });
            noNewProblems(before);
          }),
          { numRuns: FUZZ_RUNS, endOnFailure: true },
        );
      }
      for (const r of withParams()) {
        const actor = await actorFor(r);
        const b = schemaOf(r, 'body');
        const body = b ? validSample(b, refsOf(ids.s1)) : undefined;
        const param = paramNames(r.url)[0];
        const params = schemaOf(r, 'params');
        await fc.assert(
          fc.asyncProperty(fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), fc.uuid()), async (v) => {
            const before = problems.length;
            const refused = !params?.safeParse(paramsWith(r, param, v)).success;
            const expect = refused ? [400, 404] : undefined;
            await attempt({
              label: label(r, `fuzz :${param}=${v.slice(0, 30)}`),
              actor,
              method: r.method,
              url: urlWith(r, param, v),
              body,
              expect,
            });
            noNewProblems(before);
          }),
          { numRuns: PARAM_RUNS, endOnFailure: true },
        );
      }
      flush();
    },
    SLOW,
  );
});
