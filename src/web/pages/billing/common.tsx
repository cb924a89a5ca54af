/** Shared pieces of the office's billing pages: the term picker and money labels. */
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { get } from '../../api';
import { useLocale } from '../../i18n';

export interface Term {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
}

/** The school's terms, the one running today first; the choice is remembered for the session. */
export function useTermPicker() {
  const terms = useQuery({ queryKey: ['terms'], queryFn: () => get<Term[]>('/terms') });
  const [termId, setTermId] = useState<string | undefined>(() => sessionStorage.getItem('kehou.billing.term') ?? undefined);
  useEffect(() => {
    const list = terms.data ?? [];
    if (list.length === 0 || (termId && list.some((t) => t.id === termId))) return;
    const today = new Date().toISOString().slice(0, 10);
    setTermId((list.find((t) => t.startsOn <= today && today <= t.endsOn) ?? list[0]).id);
  }, [terms.data, termId]);
  useEffect(() => {
    if (termId) sessionStorage.setItem('kehou.billing.term', termId);
  }, [termId]);
  const picker = (
    <Select
      style={{ minWidth: 240 }}
      loading={terms.isLoading}
      value={termId}
      onChange={setTermId}
      options={(terms.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
    />
  );
  return { termId, picker, terms };
}

/** zh or en label from a { zh, en } record. */
export function useLabel() {
  const { locale } = useLocale();
  return (l: { zh: string; en: string } | undefined, fallback = '') => (l ? (locale === 'en' ? l.en : l.zh) : fallback);
}

export const bpToPercent = (bp: number) => `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 2)}%`;
