/** The waiver application (N14) and its outcome; one pending application per child and term. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Selector, Slider, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { post } from '../../api';
import { useT } from '../../i18n';
import { dict } from './dict';
import type { Waiver } from './types';

const COLORS: Record<string, 'warning' | 'success' | 'danger' | 'default'> = {
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
  withdrawn: 'default',
};
const CATEGORIES = ['dibao', 'poor_household', 'disability', 'orphan', 'other'];

export function WaiverCard(props: { studentId: string; termId: string; waivers: Waiver[]; closed: boolean }) {
  const t = useT(dict);
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [category, setCategory] = useState('dibao');
  const [percent, setPercent] = useState(100);
  const [reason, setReason] = useState('');
  const apply = useMutation({
    mutationFn: () =>
      post('/family/waivers', { studentId: props.studentId, termId: props.termId, category, basisPoints: percent * 100, reason }),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('submitted') });
      setOpen(false);
      qc.invalidateQueries({ queryKey: ['family', 'money'] });
    },
    onError: (e: Error) => Toast.show({ icon: 'fail', content: e.message }),
  });
  const pending = props.waivers.some((w) => w.status === 'pending' && w.source === 'application');
  return (
    <Card title={t('waiver')} style={{ margin: 12, borderRadius: 12 }}>
      <div style={{ color: '#666', fontSize: 13, marginBottom: 8 }}>{t('waiverHint')}</div>
      {props.waivers.map((w) => (
        <div key={w.id} style={{ padding: '8px 0', borderTop: '1px solid #f0f0f0' }} data-testid="waiver">
          <div>
            {t(w.category)} · {(w.basisPoints / 100).toFixed(w.basisPoints % 100 ? 2 : 0)}%{' '}
            <Tag color={COLORS[w.status] ?? 'default'}>{t(w.status)}</Tag> {w.source === 'automatic' && <Tag>{t('automatic')}</Tag>}
          </div>
          {w.decisionNote && <div style={{ color: '#888', fontSize: 13 }}>{t('decision', { n: w.decisionNote })}</div>}
        </div>
      ))}
      {!pending && !props.closed && !open && (
        <Button block color="primary" fill="outline" onClick={() => setOpen(true)} style={{ marginTop: 8 }}>
          {t('apply')}
        </Button>
      )}
      {open && (
        <Form
          layout="vertical"
          footer={
            <Button block color="primary" loading={apply.isPending} disabled={reason.trim().length < 2} onClick={() => apply.mutate()}>
              {t('submit')}
            </Button>
          }
        >
          <Form.Item label={t('category')}>
            <Selector
              columns={1}
              value={[category]}
              onChange={(v) => v[0] && setCategory(v[0])}
              options={CATEGORIES.map((c) => ({ value: c, label: t(c) }))}
            />
          </Form.Item>
          <Form.Item label={`${t('share')}：${percent}%`}>
            <Slider min={10} max={100} step={10} value={percent} onChange={(v) => setPercent(v as number)} />
          </Form.Item>
          <Form.Item label={t('reason')}>
            <TextArea aria-label={t('reason')} value={reason} onChange={setReason} maxLength={1000} rows={3} />
          </Form.Item>
        </Form>
      )}
    </Card>
  );
}
