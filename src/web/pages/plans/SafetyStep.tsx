/** Step 4: the safety measures and complaint channels published with the plan, and the application window. */
import { Alert, Button, Form, Input, Space } from 'antd';
import { useEffect, useState } from 'react';
import { formatDateTime, useT } from '../../i18n';
import { dict } from './dict';
import { TermForm } from './TermForm';
import type { PlanView } from './types';
import { usePlanEdit } from './usePlanEdit';

type Texts = Pick<PlanView, 'safetyMeasures' | 'complaintPhone' | 'complaintChannel'>;

export function SafetyStep({ plan, readOnly }: { plan: PlanView; readOnly: boolean }) {
  const t = useT(dict);
  const edit = usePlanEdit(plan.id);
  const [form] = Form.useForm<Texts>();
  const [termOpen, setTermOpen] = useState(false);
  useEffect(() => {
    form.setFieldsValue({
      safetyMeasures: plan.safetyMeasures,
      complaintPhone: plan.complaintPhone,
      complaintChannel: plan.complaintChannel,
    });
  }, [plan, form]);
  const w = plan.term;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Form
        form={form}
        layout="vertical"
        disabled={readOnly}
        onFinish={(v) =>
          edit.mutate({
            method: 'PATCH',
            path: '',
            body: {
              safetyMeasures: v.safetyMeasures?.trim() ?? '',
              complaintPhone: v.complaintPhone?.trim() ?? '',
              complaintChannel: v.complaintChannel?.trim() ?? '',
            },
          })
        }
      >
        <Form.Item name="safetyMeasures" label={t('safetyMeasures')} extra={t('safetyHint')}>
          <Input.TextArea maxLength={4000} autoSize={{ minRows: 5, maxRows: 12 }} />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="complaintPhone" label={t('complaintPhone')}>
            <Input maxLength={40} inputMode="tel" style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="complaintChannel" label={t('complaintChannel')}>
            <Input maxLength={200} style={{ width: 420 }} />
          </Form.Item>
        </Space>
        {!readOnly && (
          <Button type="primary" htmlType="submit" loading={edit.isPending}>
            {t('saveTexts')}
          </Button>
        )}
      </Form>
      <Alert
        type={w.applyOpensAt ? 'info' : 'warning'}
        showIcon
        message={`${t('applyWindow')}：${w.applyOpensAt && w.applyClosesAt ? `${formatDateTime(w.applyOpensAt)} – ${formatDateTime(w.applyClosesAt)}` : '—'}`}
        action={
          !readOnly && (
            <Button size="small" onClick={() => setTermOpen(true)}>
              {t('editWindow')}
            </Button>
          )
        }
      />
      <TermForm open={termOpen} term={plan.term} onClose={() => setTermOpen(false)} />
    </Space>
  );
}
