/** Writes to the plan: each refreshes the plan (and its findings) and the term list's status. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { api } from '../../api';
import { useT } from '../../i18n';
import { errorText } from '../school/roster';
import { dict } from './dict';

export function usePlanEdit(planId: string) {
  const t = useT(dict);
  const { message } = App.useApp();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ method, path, body }: { method: string; path: string; body?: unknown }) => api(method, `/plans/${planId}${path}`, body),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['plan', planId] });
      qc.invalidateQueries({ queryKey: ['terms'] });
      message.success(t('saved'));
    },
    onError: (e) => message.error(errorText(e)),
  });
}

/** Which step of the form a finding belongs to, from its path. */
export function stepOf(path: string): 0 | 1 | 2 | 3 {
  if (path.startsWith('slots.') || path.startsWith('term.startsOn')) return 0;
  if (path === 'plan.feeBasis' || /^offerings\.[^.]+\.(feeMode|feeFen|providerName)$/.test(path)) return 2;
  if (path.startsWith('plan.') || path.startsWith('term.')) return 3;
  return 1;
}
