/** Recording an offline payment: the pupil, what is due this term, method, amount in yuan, reference. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Radio, Select } from 'antd';
import { useMemo, useState } from 'react';
import { parseYuan } from '../../../shared/ledger';
import { api, get, qs } from '../../api';
import { useT } from '../../i18n';
import { dict } from './dict';
import { newKey, type Payment, yuan } from './money';

interface StudentRow {
  id: string;
  name: string;
  studentNo: string;
  className: string;
}

export function RecordPaymentModal({ open, termId, onClose }: { open: boolean; termId: string; onClose: () => void }) {
  const t = useT(dict);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [search, setSearch] = useState('');
  const [studentId, setStudentId] = useState<string>();
  // one key per opened form: a double click or a retry after a timeout records the payment once
  const key = useMemo(() => (open ? newKey() : ''), [open]);
  const students = useQuery({
    queryKey: ['payments', 'students', search],
    queryFn: () => get<{ items: StudentRow[] }>(`/students${qs({ q: search, pageSize: 20 })}`),
    enabled: open && search.length > 0,
    // the list stays while the next keystroke's answer comes: options vanishing under the pointer lose the click
    placeholderData: keepPreviousData,
  });
  const summary = useQuery({
    queryKey: ['payments', 'summary', studentId, termId],
    queryFn: () => get<{ dueFen: number; paidFen: number; refundedFen: number }>(`/payments/pupils/${studentId}/terms/${termId}`),
    enabled: !!studentId,
  });
  const save = useMutation({
    mutationFn: (v: { method: string; amount: string; externalRef?: string; note?: string }) =>
      api<{ payment: Payment }>(
        'POST',
        '/payments',
        {
          studentId,
          termId,
          method: v.method,
          amountFen: parseYuan(v.amount),
          externalRef: v.externalRef || null,
          note: v.note ?? '',
        },
        { headers: { 'idempotency-key': key } },
      ),
    onSuccess: (r) => {
      message.success(t('saved', { n: r.payment.receiptNo ?? '' }));
      qc.invalidateQueries({ queryKey: ['payments'] });
      form.resetFields();
      setStudentId(undefined);
      onClose();
    },
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Modal
      open={open}
      title={t('record')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ disabled: !studentId }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ method: 'cash' }} onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t('pupil')} required>
          <Select
            showSearch
            aria-label={t('pupil')}
            placeholder={t('pupilSearch')}
            filterOption={false}
            onSearch={setSearch}
            value={studentId}
            onChange={setStudentId}
            loading={students.isFetching}
            options={(students.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name} · ${s.className} · ${s.studentNo}` }))}
          />
        </Form.Item>
        {summary.data && (
          <Alert
            style={{ marginBottom: 16 }}
            type={summary.data.dueFen > 0 ? 'info' : 'success'}
            message={t('due', { d: yuan(summary.data.dueFen), p: yuan(summary.data.paidFen), r: yuan(summary.data.refundedFen) })}
          />
        )}
        <Form.Item name="method" label={t('method')}>
          <Radio.Group optionType="button" options={['cash', 'transfer', 'campus_card'].map((m) => ({ value: m, label: t(m) }))} />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('amountYuan')}
          rules={[
            {
              validator: (_r, v) => (v && (parseYuan(String(v)) ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('amountBad')))),
            },
          ]}
        >
          <Input inputMode="decimal" prefix="¥" placeholder="360.00" />
        </Form.Item>
        <Form.Item name="externalRef" label={t('ref')} extra={t('refHint')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="note" label={t('note')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
