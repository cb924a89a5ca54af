/** My places, one line per activity and state: enrolled days, waiting ("候补第 N 位"), or offered a
 * freed seat with a deadline to confirm. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Dialog, List, Tag, Toast } from 'antd-mobile';
import { SLOT_LABELS, type Slot } from '../../../shared/plans';
import { ApiError, post } from '../../api';
import { formatDateTime, useT } from '../../i18n';
import { dict } from './dict';
import { daysLabel, weekdayLabel } from './format';
import type { ApplyData, Place } from './types';

const COLORS: Record<Place['status'], string> = {
  enrolled: 'success',
  waitlisted: 'warning',
  offered: 'danger',
  withdrawn: 'default',
  rejected: 'default',
};
const ORDER: Place['status'][] = ['offered', 'enrolled', 'waitlisted', 'rejected'];

export function MyPlaces({ data, windowOpen }: { data: ApplyData; windowOpen: boolean }) {
  const t = useT(dict);
  const qc = useQueryClient();
  const act = useMutation({
    mutationFn: async ({ ids, what }: { ids: string[]; what: 'confirm' | 'withdraw' }) => {
      for (const id of ids) await post(`/family/enrollments/${id}/${what}`);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['apply', data.child.id] }),
    onError: (e) => {
      Toast.show({ content: e instanceof ApiError ? e.message : String(e) });
      qc.invalidateQueries({ queryKey: ['apply', data.child.id] });
    },
  });
  // offers stay one per line (each has its own deadline); the rest group by activity and state
  const groups = new Map<string, Place[]>();
  for (const e of data.enrollments.filter((x) => x.status !== 'withdrawn')) {
    const k = e.status === 'offered' ? e.id : `${e.offeringId}:${e.status}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const lines = [...groups.values()].sort((a, b) => ORDER.indexOf(a[0].status) - ORDER.indexOf(b[0].status));
  const label = (g: Place[]) => {
    const e = g[0];
    if (e.status !== 'waitlisted') return e.statusLabel;
    const positions = new Set(g.map((x) => x.position));
    return positions.size === 1
      ? t('position', { n: e.position ?? 0 })
      : g.map((x) => `${weekdayLabel(x.weekday)} ${t('position', { n: x.position ?? 0 })}`).join('，');
  };
  return (
    <Card title={t('mine')} style={{ margin: 12, borderRadius: 12 }}>
      {lines.length === 0 && <div style={{ color: '#999', padding: '8px 0' }}>{t('nothingYet')}</div>}
      <List style={{ '--border-top': 'none', '--border-bottom': 'none', '--padding-left': '0' }}>
        {lines.map((g) => {
          const e = g[0];
          const ids = g.map((x) => x.id);
          return (
            <List.Item
              key={e.id}
              description={
                e.status === 'offered' && e.offerExpiresAt
                  ? t('offerUntil', { t: formatDateTime(e.offerExpiresAt) })
                  : `${SLOT_LABELS[e.slot as Slot] ?? e.slot}${e.effectiveFrom ? ` · ${t('from', { d: e.effectiveFrom })}` : ''}`
              }
              extra={
                e.status === 'offered' ? (
                  <span style={{ display: 'flex', gap: 6 }}>
                    <Button size="small" color="primary" onClick={() => act.mutate({ ids, what: 'confirm' })}>
                      {t('confirm')}
                    </Button>
                    <Button size="small" onClick={() => act.mutate({ ids, what: 'withdraw' })}>
                      {t('decline')}
                    </Button>
                  </span>
                ) : e.status === 'waitlisted' || (e.status === 'enrolled' && windowOpen) ? (
                  <Button
                    size="mini"
                    fill="none"
                    style={{ color: '#999' }}
                    onClick={async () => {
                      if (await Dialog.confirm({ content: t('leaveConfirm') })) act.mutate({ ids, what: 'withdraw' });
                    }}
                  >
                    {t('leave')}
                  </Button>
                ) : null
              }
            >
              <div style={{ fontSize: 15 }}>
                {e.offeringName} <span style={{ color: '#666', fontSize: 13 }}>{daysLabel(g.map((x) => x.weekday))}</span>
              </div>
              <Tag color={COLORS[e.status]} fill={e.status === 'offered' ? 'solid' : 'outline'} style={{ marginTop: 4 }}>
                {label(g)}
              </Tag>
            </List.Item>
          );
        })}
      </List>
    </Card>
  );
}
