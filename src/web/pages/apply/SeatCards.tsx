/** Step 3: first-come-first-served clubs, a 抢位 button per card; each tap carries its own
 * Idempotency-Key, so a retried request (a weak 4G signal) never takes a second seat. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Tag, Toast } from 'antd-mobile';
import { ApiError, api } from '../../api';
import { formatDateTime, useT } from '../../i18n';
import { dict } from './dict';
import { OfferingInfo } from './OfferingInfo';
import type { ApplyData, Offering } from './types';

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

export function SeatCards({ data, canGrab }: { data: ApplyData; canGrab: boolean }) {
  const t = useT(dict);
  const fcfs = data.offerings.filter((o) => o.eligible && o.allocation === 'fcfs');
  if (fcfs.length === 0) return null;
  return (
    <Card title={t('step3')} style={{ margin: 12, borderRadius: 12 }}>
      <div style={{ color: '#888', fontSize: 12, marginBottom: 4 }}>{t('fcfsHint')}</div>
      {fcfs.map((o) => (
        <SeatCard key={o.id} o={o} data={data} canGrab={canGrab} />
      ))}
    </Card>
  );
}

function SeatCard({ o, data, canGrab }: { o: Offering; data: ApplyData; canGrab: boolean }) {
  const t = useT(dict);
  const qc = useQueryClient();
  const mine = data.enrollments.filter((e) => e.offeringId === o.id && ['enrolled', 'waitlisted', 'offered'].includes(e.status));
  const notOpen = o.opensAt && new Date(o.opensAt) > new Date();
  const grab = useMutation({
    // one key per tap: react-query's retry resends the same request with the same key
    mutationFn: (key: string) =>
      api<{ results: { status: string; statusLabel: string; position: number | null }[] }>(
        'POST',
        '/family/seats',
        { studentId: data.child.id, offeringId: o.id, weekdays: o.weekdays },
        { headers: { 'idempotency-key': key } },
      ),
    retry: 2,
    onSuccess: (r) => {
      const first = r.results[0];
      Toast.show({
        icon: first.status === 'enrolled' ? 'success' : undefined,
        content: first.position ? `${first.statusLabel} · ${t('position', { n: first.position })}` : first.statusLabel,
      });
      qc.invalidateQueries({ queryKey: ['apply', data.child.id] });
    },
    onError: (e) => Toast.show({ content: e instanceof ApiError ? e.message : String(e), duration: 3000 }),
  });
  return (
    <div style={{ borderTop: '1px solid #f0f0f0', padding: '10px 0' }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
        <span style={{ fontSize: 16, fontWeight: 500 }}>{o.name}</span>
        {mine.length > 0 ? (
          <Tag color={mine.every((m) => m.status === 'enrolled') ? 'success' : 'warning'}>
            {mine.map((m) => (m.position ? t('position', { n: m.position }) : m.statusLabel)).join(' / ')}
          </Tag>
        ) : (
          <Button
            color="danger"
            size="middle"
            shape="rounded"
            disabled={!canGrab || !!notOpen}
            loading={grab.isPending}
            onClick={() => grab.mutate(newKey())}
          >
            {notOpen ? t('opensAt', { t: formatDateTime(o.opensAt as string).slice(5) }) : t('grab')}
          </Button>
        )}
      </div>
      <OfferingInfo o={o} />
      {!canGrab && mine.length === 0 && <div style={{ color: '#999', fontSize: 12 }}>{t('applyFirst')}</div>}
    </div>
  );
}
