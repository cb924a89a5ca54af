/** A session per demo actor for the route-wide suites, and the actor a route's policy lets through. */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Permission, ROLE_PERMISSIONS, type Role } from '../../shared/permissions';
import type { KehouApp, RegisteredRoute } from '../app';
import { hashPassword } from '../auth/passwords';
import type { Db } from '../db/client';
import { DEMO_PASSWORD } from '../db/demo/seed';
import { type Client, login, request, type Res } from './harness';
import type { DemoIds } from './route-samples';

// ---------------------------------------------------------------- actors

export type ActorName =
  | 'anonymous'
  | 'guardian'
  | 'homeroom'
  | 'teacher'
  | 'duty'
  | 'admin'
  | 'district'
  | 'admin2'
  | 'guardian2'
  | 'district2';

interface ActorSpec {
  login: string;
  /** the school to act in (accounts with roles in two schools) */
  school?: 's1' | 's2';
  /** a guardian accepts the data-protection notice first */
  consent?: boolean;
}

const ACTORS: Record<Exclude<ActorName, 'anonymous'>, ActorSpec> = {
  guardian: { login: '13900000001', school: 's1', consent: true },
  homeroom: { login: 'homeroom' },
  teacher: { login: 'teacher', school: 's1' },
  duty: { login: 'duty' },
  admin: { login: 'admin' },
  district: { login: 'district' },
  admin2: { login: 'admin2' },
  guardian2: { login: '13900000001', school: 's2', consent: true },
  district2: { login: 'district2' },
};

/** A second district with its own bureau account, to ask for the first district's schools. */
export async function addSecondDistrict(db: Db): Promise<void> {
  const districtId = randomUUID();
  const accountId = randomUUID();
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.execute(sql`INSERT INTO districts (id, code, name) VALUES (${districtId}, 'TEST-D2', '测试区教育局')`);
  await db.execute(
    sql`INSERT INTO accounts (id, username, display_name, password_hash) VALUES (${accountId}, 'district2', '测试区 督导', ${hash})`,
  );
  await db.execute(sql`INSERT INTO district_roles (district_id, account_id) VALUES (${districtId}, ${accountId})`);
}

/** Sessions of the demo actors, logged in on first use and again whenever a request ended one. */
export class Actors {
  private clients = new Map<ActorName, Client>();
  /** how many logins so far (a login may write: a guardian's consent) */
  logins = 0;
  constructor(
    private app: KehouApp,
    private ids: DemoIds,
  ) {}

  async client(name: ActorName): Promise<Client | null> {
    if (name === 'anonymous') return null;
    const cached = this.clients.get(name);
    if (cached) return cached;
    const spec = ACTORS[name];
    this.logins++;
    const c = await login(this.app, spec.login);
    if (spec.school) {
      const res = await c.post('/api/auth/context', { kind: 'school', id: this.ids[spec.school].school });
      if (res.status !== 200) throw new Error(`${name}: switching to ${spec.school} failed: ${res.status}`);
    }
    if (spec.consent) {
      const notice = await c.get('/api/family/notice');
      const res = await c.post('/api/family/consent', { version: notice.body.version, accept: true });
      if (res.status !== 200) throw new Error(`${name}: consent failed: ${res.status}`);
    }
    this.clients.set(name, c);
    return c;
  }

  private roleCache = new Map<ActorName, Role[]>();

  /** The roles the actor holds where it acts, as the server sees them. */
  async roles(name: ActorName): Promise<Role[]> {
    const cached = this.roleCache.get(name);
    if (cached) return cached;
    const c = await this.client(name);
    if (!c) return [];
    const roles = (await c.get('/api/auth/me')).body.roles as Role[];
    this.roleCache.set(name, roles);
    return roles;
  }

  /** Sends as the actor; a write that ended the session (logout) makes the next call log in again. */
  async send(name: ActorName, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
    const c = await this.client(name);
    const res = c ? await c.send(method, url, body, headers) : await request(this.app, method, url, body, headers);
    if (c && method !== 'GET' && res.status < 300) {
      const me = await request(this.app, 'GET', '/api/auth/me', undefined, { cookie: c.cookie });
      if (me.status !== 200) this.clients.delete(name);
    }
    return res;
  }
}

export const permissionsOfRoles = (roles: readonly Role[]): Set<Permission> => new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r]));

/** The first of `candidates` whose roles grant the route's policy (anonymous for public routes). */
export async function permittedActor(
  actors: Actors,
  route: RegisteredRoute,
  candidates: ActorName[] = ['admin', 'guardian', 'district'],
): Promise<ActorName | undefined> {
  const p = route.policy;
  if (!p) return undefined;
  if ('public' in p) return 'anonymous';
  if ('authenticated' in p) return candidates[0];
  for (const name of candidates) if (permissionsOfRoles(await actors.roles(name)).has(p.permission)) return name;
  return undefined;
}
