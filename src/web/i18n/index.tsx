/**
 * Chinese first, English available. Each page keeps its own small dictionary beside it
 * (`const dict = { zh: {...}, en: {...} }`) and calls `useT(dict)`; common words live here.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { common } from './common';

export type Locale = 'zh-CN' | 'en';
export type Dict = { zh: Record<string, string>; en: Record<string, string> };

const STORAGE_KEY = 'kehou.locale';
const LocaleContext = createContext<{ locale: Locale; setLocale(l: Locale): void }>({ locale: 'zh-CN', setLocale: () => {} });

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => (localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN'));
  const setLocale = useCallback((l: Locale) => {
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l;
    setLocaleState(l);
  }, []);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export const useLocale = () => useContext(LocaleContext);

/** t('key', { n: 3 }) looks in the page's dictionary, then the common one; `{n}` is replaced. */
export function useT(dict?: Dict) {
  const { locale } = useLocale();
  return useCallback(
    (key: string, vars?: Record<string, string | number>) => {
      const lang = locale === 'en' ? 'en' : 'zh';
      let s = dict?.[lang][key] ?? common[lang][key] ?? dict?.zh[key] ?? common.zh[key] ?? key;
      if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
      return s;
    },
    [locale, dict],
  );
}

const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** 2026年9月1日 (周二) / Tue, 1 Sep 2026 */
export function formatDate(value: string | Date, locale: Locale = 'zh-CN'): string {
  const d = typeof value === 'string' ? new Date(value.length === 10 ? `${value}T00:00:00+08:00` : value) : value;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  if (locale === 'en')
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    }).format(d);
  const wd = new Date(`${get('year')}-${get('month').padStart(2, '0')}-${get('day').padStart(2, '0')}T12:00:00Z`).getUTCDay();
  return `${get('year')}年${Number(get('month'))}月${Number(get('day'))}日 (${WEEKDAYS_ZH[wd]})`;
}

/** 24-hour time in Asia/Shanghai with the date: 2026-09-01 17:32 */
export function formatDateTime(value: string | Date): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

/** Integer fen to ¥1,234.50 */
export const formatMoney = (fen: number) =>
  `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
