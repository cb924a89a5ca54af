/**
 * What the route-wide suites (route-policy, bad-input) need to call every registered route without
 * a table per route: real ids of the demo district and a valid input built from each route's own
 * zod schema. Sessions per actor are in actors.ts, table fingerprints and the write counter in db-probes.ts.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { z } from 'zod';
import type { RegisteredRoute } from '../app';
import { type Db, queryRows } from '../db/client';

// ---------------------------------------------------------------- ids of the demo district

export interface SchoolIds {
  school: string;
  campus: string;
  /** 一(1)班 of 本部 (in school 1 the demo homeroom teacher's class) */
  class: string;
  /** a pupil of 一(1)班 */
  classPupil: string;
  /** the demo parent's (13900000001) child in this school */
  pupil: string;
  /** a guardian of the 一(1)班 pupil (not the demo parent) */
  guardian: string;
  /** a pick-up adult of the 一(1)班 pupil */
  pickup: string;
  /** a staff member without a login */
  staff: string;
  /** ids of other resources named in route paths (`/plans/:id` → a row of `plans`), found generically */
  more: Record<string, string>;
}

export interface DemoIds {
  district: string;
  s1: SchoolIds;
  s2: SchoolIds;
}

/** A row of the school in the table a path segment names (`plans`, `terms`…), if there is one. */
async function anyRowOf(db: Db, school: string, resource: string): Promise<string | undefined> {
  const table = resource.replace(/-/g, '_');
  if (!/^[a-z_]+$/.test(table)) return undefined;
  try {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`SELECT id::text AS id FROM ${sql.identifier(table)} WHERE school_id = ${school} ORDER BY id LIMIT 1`,
    );
    return rows[0]?.id;
  } catch {
    return undefined;
  }
}

/** The resource a path parameter stands for: the segment before `:id`, or the name of `:guardianId`. */
export function resourceOf(url: string, param: string): string {
  const segments = url.split('/');
  return param === 'id' ? segments[segments.indexOf(`:${param}`) - 1] : param.replace(/Id$/, '');
}

export async function demoIds(db: Db, routes: { url: string }[] = []): Promise<DemoIds> {
  const one = async <T>(q: ReturnType<typeof sql>): Promise<T> => {
    const rows = await queryRows<T>(db, q);
    if (!rows[0]) throw new Error(`demo id not found: ${JSON.stringify(q)}`);
    return rows[0];
  };
  const ofSchool = async (code: string): Promise<SchoolIds> => {
    const { id: school } = await one<{ id: string }>(sql`SELECT id FROM schools WHERE code = ${code}`);
    const { id: campus } = await one<{ id: string }>(sql`SELECT id FROM campuses WHERE school_id = ${school} AND name = '本部'`);
    const { id: cls } = await one<{ id: string }>(
      sql`SELECT id FROM classes WHERE school_id = ${school} AND campus_id = ${campus} AND name = '一(1)班'`,
    );
    const { id: pupil } = await one<{ id: string }>(sql`
      SELECT s.id FROM students s
        JOIN student_guardians sg ON sg.school_id = s.school_id AND sg.student_id = s.id
        JOIN guardians g ON g.school_id = sg.school_id AND g.id = sg.guardian_id
       WHERE s.school_id = ${school} AND g.phone = '13900000001'`);
    const { id: classPupil } = await one<{ id: string }>(sql`
      SELECT s.id FROM students s WHERE s.school_id = ${school} AND s.class_id = ${cls} AND s.active
         AND EXISTS (SELECT 1 FROM pickup_persons p WHERE p.school_id = s.school_id AND p.student_id = s.id)
       ORDER BY s.student_no LIMIT 1`);
    const { id: guardian } = await one<{ id: string }>(sql`
      SELECT g.id FROM guardians g JOIN student_guardians sg ON sg.school_id = g.school_id AND sg.guardian_id = g.id
       WHERE g.school_id = ${school} AND sg.student_id = ${classPupil} AND g.phone <> '13900000001' ORDER BY g.phone LIMIT 1`);
    const { id: pickup } = await one<{ id: string }>(sql`
      SELECT id FROM pickup_persons WHERE school_id = ${school} AND student_id = ${classPupil} ORDER BY phone LIMIT 1`);
    const { id: staff } = await one<{ id: string }>(sql`
      SELECT id FROM staff WHERE school_id = ${school} AND account_id IS NULL AND kind = 'volunteer' ORDER BY name LIMIT 1`);
    const more: Record<string, string> = {};
    for (const r of routes) {
      for (const p of paramNames(r.url)) {
        const resource = resourceOf(r.url, p);
        if (more[resource] !== undefined) continue;
        const id = (await anyRowOf(db, school, resource)) ?? (await anyRowOf(db, school, `${resource}s`));
        if (id) more[resource] = id;
      }
    }
    return { school, campus, class: cls, classPupil, pupil, guardian, pickup, staff, more };
  };
  const { id: district } = await one<{ id: string }>(sql`SELECT id FROM districts WHERE code = 'WH-HC'`);
  return { district, s1: await ofSchool('HC-SY'), s2: await ofSchool('HC-DE') };
}

/** The id a path parameter stands for, from the resource named before it (`/students/:id`) or
 * from its own name (`:guardianId`): the demo objects below, else any row of the table of that
 * name; undefined when the demo has none. */
function demoObjects(url: string, s: SchoolIds): Record<string, string> {
  // a guardian's routes are about their own child
  const pupil = url.startsWith('/api/family/') ? s.pupil : s.classPupil;
  return {
    students: pupil,
    student: pupil,
    children: s.pupil,
    campuses: s.campus,
    campus: s.campus,
    classes: s.class,
    class: s.class,
    guardians: s.guardian,
    guardian: s.guardian,
    pickups: s.pickup,
    pickup: s.pickup,
    staff: s.staff,
    schools: s.school,
    school: s.school,
  };
}

export function idFor(url: string, param: string, s: SchoolIds): string | undefined {
  const resource = resourceOf(url, param);
  return demoObjects(url, s)[resource] ?? s.more[resource];
}

/** Whether the id comes from the named demo objects (known to be visible to their owner), not
 * from an arbitrary row of a table (which may belong to another account or be in another state). */
export const isDemoObject = (url: string, param: string, s: SchoolIds) => resourceOf(url, param) in demoObjects(url, s);

/** Ids for resources with no row in the demo: a route given one answers 404. */
const NO_ROW = '00000000-0000-4000-8000-000000000000';

export const paramNames = (url: string) => [...url.matchAll(/:(\w+)/g)].map((m) => m[1]);

type RouteLike = { url: string; schema?: unknown };

/** The JSON Schema of one path parameter (empty when the route has no params schema). */
function paramJson(route: RouteLike, param: string): Json {
  const schema = (route.schema as Record<string, unknown> | undefined)?.params;
  if (!isZod(schema)) return {};
  try {
    const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
    return ((js.properties ?? {}) as Record<string, Json>)[param] ?? {};
  } catch {
    return {};
  }
}

/** Whether a path parameter is an object id (a uuid), not e.g. a date or a version number. */
export const isIdParam = (route: RouteLike, param: string): boolean => {
  const p = paramJson(route, param);
  return Object.keys(p).length === 0 || p.format === 'uuid';
};

/** A real value for a path parameter: the id of a demo object, or a valid sample (a date…). */
export function paramValue(route: RouteLike, param: string, s: SchoolIds): string {
  if (isIdParam(route, param)) return idFor(route.url, param, s) ?? NO_ROW;
  return String(sampleOf(paramJson(route, param), param, {}, 1, 'one'));
}

/** Whether every id in the route's path names a real demo object. */
export const hasRealIds = (route: RouteLike, s: SchoolIds) =>
  paramNames(route.url).every((p) => !isIdParam(route, p) || idFor(route.url, p, s) !== undefined);

/** The route's url with real values of school `s`; `override` may replace any parameter. */
export function fillUrl(route: RouteLike | string, s: SchoolIds, override?: (param: string) => string): string {
  const r = typeof route === 'string' ? { url: route } : route;
  return r.url.replace(/:(\w+)/g, (_m, p: string) => encodeURIComponent(override ? override(p) : paramValue(r, p, s)));
}

/** References inside bodies (`classId`, `campusId`…) point at real rows of the acting school. */
export function refsOf(s: SchoolIds): Record<string, string> {
  return {
    campusId: s.campus,
    classId: s.class,
    studentId: s.classPupil,
    guardianId: s.guardian,
    homeroomStaffId: s.staff,
    staffId: s.staff,
  };
}

// ---------------------------------------------------------------- schemas and valid inputs

export const isZod = (s: unknown): s is z.ZodType => s instanceof z.ZodType;

export function schemaOf(route: RegisteredRoute, part: 'body' | 'querystring' | 'params'): z.ZodType | undefined {
  const s = (route.schema as Record<string, unknown> | undefined)?.[part];
  return isZod(s) ? s : undefined;
}

type Json = { [k: string]: unknown };

let unique = 0;
/** Distinct texts, so names with a unique key never collide. */
const uniqueText = (min: number, max: number) => {
  const t = `样例${Date.now().toString(36)}${(unique++).toString(36)}`;
  return (t.length < min ? t.padEnd(min, '样') : t).slice(0, Math.max(max, 1));
};

type Mode = 'required' | 'one' | 'all';

/** Real-world values tried first for a patterned string: random digits rarely make a real date. */
const WELL_KNOWN = ['2026-09-01', '2026-09', '13800138000', '0631-5201234', 'T-001', 'HC-T1', '08:00', '16:30'];

function sampleOf(js: Json, key: string, refs: Record<string, string>, seed: number, mode: Mode): unknown {
  if ('const' in js) return js.const;
  if (Array.isArray(js.enum)) return js.enum[0];
  const branches = (js.anyOf ?? js.oneOf) as Json[] | undefined;
  if (branches) {
    if (branches.some((b) => b.type === 'null')) return null;
    return sampleOf(branches[0], key, refs, seed, mode);
  }
  switch (js.type) {
    case 'string': {
      if (js.format === 'uuid') return refs[key] ?? randomUUID();
      const min = Number(js.minLength ?? 0);
      const max = Number(js.maxLength ?? 60);
      if (typeof js.pattern === 'string') {
        const re = new RegExp(js.pattern);
        const fits = (c: string) => re.test(c) && c.length >= Math.max(min, 1) && c.length <= max;
        const known = WELL_KNOWN.find(fits);
        if (known) return known;
        const found = fc
          .sample(fc.stringMatching(re, { size: 'xsmall' }), { numRuns: 200, seed })
          .find((s) => s.length >= Math.max(min, 1) && s.length <= max);
        return found ?? '';
      }
      return uniqueText(min, max);
    }
    case 'integer':
    case 'number': {
      const lo = js.minimum ?? js.exclusiveMinimum;
      return typeof lo === 'number' ? lo : typeof js.maximum === 'number' ? Math.min(1, js.maximum) : 1;
    }
    case 'boolean':
      return false;
    case 'array': {
      const n = Number(js.minItems ?? 0);
      const items = (js.items ?? {}) as Json;
      return Array.from({ length: n }, () => sampleOf(items, key, refs, seed, mode));
    }
    case 'object': {
      const props = (js.properties ?? {}) as Record<string, Json>;
      const required = new Set((js.required ?? []) as string[]);
      const out: Json = {};
      for (const k of Object.keys(props)) if (required.has(k) || mode === 'all') out[k] = sampleOf(props[k], k, refs, seed, mode);
      if (required.size === 0 && mode === 'one') {
        // A PATCH body: one field is enough; prefer a plain text field over a reference.
        const keys = Object.keys(props);
        const plain = keys.find((k) => props[k].type === 'string' && !props[k].pattern && !props[k].format && !props[k].enum);
        const pick = plain ?? keys[0];
        if (pick) out[pick] = sampleOf(props[pick], pick, refs, seed, mode);
      }
      return out;
    }
    default:
      return {};
  }
}

/**
 * A value the zod schema accepts (checked with the schema itself), built from its JSON Schema;
 * `undefined` when none could be built (e.g. a file upload). Mode `required` leaves optional fields
 * out (query strings), `one` gives an all-optional object (a PATCH) one field, `all` fills every field.
 */
export function validSample(schema: z.ZodType, refs: Record<string, string>, mode: Mode | boolean = 'one'): unknown {
  const m: Mode = mode === true ? 'required' : mode === false ? 'one' : mode;
  let js: Json;
  try {
    js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  } catch {
    return undefined;
  }
  for (let seed = 1; seed <= 20; seed++) {
    const v = sampleOf(js, '', refs, seed, m);
    if (schema.safeParse(v).success) return v;
  }
  return undefined;
}

export function toQueryString(v: unknown): string {
  if (!v || typeof v !== 'object') return '';
  const entries = Object.entries(v as Json).filter(([, x]) => x !== undefined && x !== null);
  if (entries.length === 0) return '';
  return `?${entries.map(([k, x]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(x))}`).join('&')}`;
}

/** What the server would see for a JSON body: the value after a JSON round trip. */
export const jsonRoundTrip = (v: unknown): unknown => {
  const s = JSON.stringify(v);
  return s === undefined ? undefined : JSON.parse(s);
};
