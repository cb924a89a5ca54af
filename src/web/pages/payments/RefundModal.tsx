/** A refund of one payment: never more than what is left to refund (the server checks it too). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal } from 'antd';
import { useMemo } from 'react';
import { parseYuan } from '../../../shared/ledger';
import { api, get } from '../../api';
import { useT } from '../../i18n';
import { dict } from './dict';
import { newKey, type Payment, yuan } from './money';

export function RefundModal({ payment, onClose }: { payment: Payment | null; onClose: () => void }) {
  const t = useT(dict);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const key = useMemo(() => (payment ? newKey() : ''), [payment]);
  const detail = useQuery({
    queryKey: ['payments', 'detail', payment?.id],
    queryFn: () => get<{ refundableFen: number }>(`/payments/${payment?.id}`),
    enabled: !!payment,
  });
  const save = useMutation({
    mutationFn: (v: { amount: string; reason: string }) =>
      api(
        'POST',
        `/payments/${payment?.id}/refunds`,
        { amountFen: parseYuan(v.amount), reason: v.reason },
        { headers: { 'idempotency-key': key } },
      ),
    onSuccess: () => {
      message.success(t('refunded'));
      qc.invalidateQueries({ queryKey: ['payments'] });
      onClose();
    },
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Modal
      open={!!payment}
      title={t('refundTitle', { n: payment?.receiptNo ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="amount"
          label={t('amountYuan')}
          extra={detail.data ? t('refundable', { a: yuan(detail.data.refundableFen) }) : undefined}
          rules={[
            {
              validator: (_r, v) => (v && (parseYuan(String(v)) ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('amountBad')))),
            },
          ]}
        >
          <Input inputMode="decimal" prefix="¥" />
        </Form.Item>
        <Form.Item name="reason" label={t('reason')} rules={[{ required: true, min: 1, max: 300 }]}>
          <Input.TextArea rows={2} maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
