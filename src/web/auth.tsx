/** The signed-in account, its contexts (schools, district) and permissions, from GET /api/auth/me. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Permission, Role } from '../shared/permissions';
import { ApiError, get, post, setCsrfToken } from './api';

export interface Context {
  kind: 'school' | 'district';
  id: string;
  name: string;
  roles: Role[];
}

export interface Me {
  account: { id: string; displayName: string; username: string | null; phone: string | null };
  contexts: Context[];
  active: Context | null;
  roles: Role[];
  permissions: Permission[];
  /** the rota makes this account today's duty leader (that date): `duty` is in roles for today only */
  dutyToday?: string | null;
  csrfToken: string;
  consentRequired: boolean;
}

export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        const me = await get<Me>('/auth/me');
        setCsrfToken(me.csrfToken);
        return me;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useAuthActions() {
  const qc = useQueryClient();
  return {
    async login(login: string, password: string) {
      await post('/auth/login', { login, password });
      qc.clear();
      await qc.fetchQuery({
        queryKey: ['me'],
        queryFn: async () => {
          const me = await get<Me>('/auth/me');
          setCsrfToken(me.csrfToken);
          return me;
        },
      });
    },
    async logout() {
      await post('/auth/logout').catch(() => {});
      qc.clear();
      window.location.assign('/login');
    },
    async switchContext(c: Pick<Context, 'kind' | 'id'>) {
      await post('/auth/context', { kind: c.kind, id: c.id });
      qc.clear();
      window.location.assign(homePath(c as Context));
    },
  };
}

/** Phones for guardians and teachers in front of children; desktop for office and district. */
export function homePath(ctx: Context | null): string {
  if (!ctx) return '/login';
  if (ctx.kind === 'district') return '/district/schools';
  if (ctx.roles.includes('school_admin')) return '/office/students';
  if (ctx.roles.some((r) => r === 'teacher' || r === 'homeroom' || r === 'duty')) return '/m/staff';
  return '/m/family';
}
