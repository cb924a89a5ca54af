/** The office's queue of shift swaps: each with its shifts, the colleague's answer, approve or refuse (R8). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Input, List, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { SLOT_LABELS } from '../../../shared/plans';
import { get, post } from '../../api';
import { type Dict, useT } from '../../i18n';
import { isoWeekday, type Swap, WD } from './types';

const dict: Dict = {
  zh: {
    title: '待审批的调班（{n}）',
    approve: '批准',
    refuse: '不批准',
    note: '说明（可选，会告知双方）',
    gives: '{a} 的班次交给 {b}',
    back: '{b} 的班次交给 {a}（互换）',
    reason: '理由：{r}',
    approved: '已批准，双方已收到通知',
    refused: '已退回，双方已收到通知',
  },
  en: {
    title: 'Swaps waiting for approval ({n})',
    approve: 'Approve',
    refuse: 'Refuse',
    note: 'Note (optional, sent to both)',
    gives: "{a}'s shift goes to {b}",
    back: "{b}'s shift goes to {a} (exchange)",
    reason: 'Reason: {r}',
    approved: 'Approved; both were told',
    refused: 'Refused; both were told',
  },
};

const STATUS_COLOR: Record<string, string> = { requested: 'gold', accepted: 'blue' };

export default function SwapsPanel() {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [refusing, setRefusing] = useState<Swap | null>(null);
  const [note, setNote] = useState('');
  const swaps = useQuery({ queryKey: ['swaps', 'open'], queryFn: () => get<{ swaps: Swap[] }>('/swaps?status=open') });
  const decide = useMutation({
    mutationFn: ({ id, what, note }: { id: string; what: 'approve' | 'refuse'; note: string }) => post(`/swaps/${id}/${what}`, { note }),
    onSuccess: (_, v) => {
      message.success(t(v.what === 'approve' ? 'approved' : 'refused'));
      setRefusing(null);
      setNote('');
      qc.invalidateQueries({ queryKey: ['swaps'] });
      qc.invalidateQueries({ queryKey: ['rota'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const list = swaps.data?.swaps ?? [];
  if (!list.length) return null;
  return (
    <Card size="small" title={t('title', { n: list.length })} style={{ marginBottom: 16 }}>
      <List
        dataSource={list}
        renderItem={(s) => (
          <List.Item
            actions={[
              <Button
                key="a"
                type="primary"
                size="small"
                loading={decide.isPending}
                onClick={() => decide.mutate({ id: s.id, what: 'approve', note: '' })}
              >
                {t('approve')}
              </Button>,
              <Button key="r" size="small" danger onClick={() => setRefusing(s)}>
                {t('refuse')}
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={
                <Space>
                  <span>
                    {s.requesterName} ⇄ {s.colleagueName}
                  </span>
                  <Tag color={STATUS_COLOR[s.status]}>{s.statusLabel}</Tag>
                </Space>
              }
              description={
                <div>
                  {s.legs.map((l) => (
                    <div key={l.leg}>
                      {l.day} {WD[isoWeekday(l.day)]} {SLOT_LABELS[l.slot as keyof typeof SLOT_LABELS]} · {l.label}
                      {l.venueName ? ` · ${l.venueName}` : ''} —{' '}
                      {t(l.leg === 1 ? 'gives' : 'back', { a: s.requesterName, b: s.colleagueName })}
                    </div>
                  ))}
                  {s.reason && <Typography.Text type="secondary">{t('reason', { r: s.reason })}</Typography.Text>}
                </div>
              }
            />
          </List.Item>
        )}
      />
      <Modal
        open={!!refusing}
        title={t('refuse')}
        onCancel={() => setRefusing(null)}
        onOk={() => refusing && decide.mutate({ id: refusing.id, what: 'refuse', note })}
        confirmLoading={decide.isPending}
      >
        <Input.TextArea rows={3} placeholder={t('note')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
      </Modal>
    </Card>
  );
}
