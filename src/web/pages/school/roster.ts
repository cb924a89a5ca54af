/**
 * What the office pages share: the shapes the roster API answers with, the queries for campuses,
 * classes and staff (used as filter and form options), and two small form helpers.
 */
import { useQuery } from '@tanstack/react-query';
import type { FormRule as Rule } from 'antd';
import type { ZodType } from 'zod';
import type { STAFF_KINDS, VETTING } from '../../../shared/roster';
import { ApiError, get, type Page } from '../../api';

export interface School {
  id: string;
  code: string;
  name: string;
  address: string;
  phone: string;
  remote: boolean;
}

export interface Campus {
  id: string;
  name: string;
  address: string;
}

export interface ClassRow {
  id: string;
  campusId: string;
  campusName: string | null;
  grade: number;
  name: string;
  homeroomStaffId: string | null;
  homeroomName: string | null;
  studentCount: number;
}

export interface StaffRow {
  id: string;
  name: string;
  phone: string;
  kind: (typeof STAFF_KINDS)[number];
  campusId: string | null;
  campusName: string | null;
  vettingStatus: (typeof VETTING)[number];
  vettingCheckedOn: string | null;
  active: boolean;
  hasAccount: boolean;
}

export const useCampuses = (enabled = true) =>
  useQuery({ queryKey: ['campuses'], queryFn: () => get<Campus[]>('/campuses'), enabled, staleTime: 60_000 });

export const useClasses = (enabled = true) =>
  useQuery({ queryKey: ['classes'], queryFn: () => get<ClassRow[]>('/classes'), enabled, staleTime: 60_000 });

/** Every member of staff (for choosing a homeroom teacher): the API pages by 200 at most. */
export const useAllStaff = (enabled = true) =>
  useQuery({
    queryKey: ['staff', 'all'],
    queryFn: async () => {
      const items: StaffRow[] = [];
      for (let page = 1; page <= 20; page++) {
        const p = await get<Page<StaffRow>>(`/staff?pageSize=200&page=${page}`);
        items.push(...p.items);
        if (items.length >= p.total || p.items.length === 0) break;
      }
      return items;
    },
    enabled,
    staleTime: 60_000,
  });

/** The server's Chinese message, or a plain fallback: never a stack trace. */
export const errorText = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请稍后再试');

const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

/**
 * An antd rule that checks a value with a shared zod schema. Messages written for people (the
 * shared schemas' Chinese ones) are shown as they are; zod's generic English ones are replaced by
 * `fallback`.
 */
export function zodRule(schema: ZodType, fallback: string): Rule {
  return {
    validator: async (_rule, value) => {
      if (value === undefined || value === null || value === '') return;
      const r = schema.safeParse(typeof value === 'string' ? value.trim() : value);
      if (!r.success) {
        const m = r.error.issues[0]?.message ?? '';
        throw new Error(hasChinese(m) ? m : fallback);
      }
    },
  };
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export { todayInChina as todayInShanghai } from '../../../shared/china-time';
