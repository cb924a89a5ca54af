/** Step 3: the legal basis of the fees (published with them), each offering's fee, and the local caps. */
import { Button, Card, Form, Input, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useT } from '../../i18n';
import { dict } from './dict';
import { useLabel } from './labels';
import { feeText } from './OfferingsStep';
import { fenToYuan, type PlanView, type SnapshotOffering, yuanToFen } from './types';
import { usePlanEdit } from './usePlanEdit';

const CAPS = [
  ['maxFeePerSessionFen', 'perSession'],
  ['maxFeePerMonthFen', 'perMonth'],
  ['maxFeePerTermFen', 'perTerm'],
] as const;

export function FeesStep({ plan, readOnly }: { plan: PlanView; readOnly: boolean }) {
  const t = useT(dict);
  const label = useLabel();
  const edit = usePlanEdit(plan.id);
  const [basis] = Form.useForm<{ feeBasis: string }>();
  const [caps] = Form.useForm<Record<(typeof CAPS)[number][0], number>>();
  useEffect(() => {
    basis.setFieldsValue({ feeBasis: plan.feeBasis });
    caps.setFieldsValue(Object.fromEntries(CAPS.map(([k]) => [k, fenToYuan(plan.settings[k])])) as never);
  }, [plan, basis, caps]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Form
        form={basis}
        layout="vertical"
        disabled={readOnly}
        onFinish={(v) => edit.mutate({ method: 'PATCH', path: '', body: { feeBasis: v.feeBasis?.trim() ?? '' } })}
      >
        <Form.Item name="feeBasis" label={t('feeBasis')} extra={t('feeBasisHint')}>
          <Input.TextArea maxLength={400} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        {!readOnly && (
          <Button type="primary" htmlType="submit" loading={edit.isPending}>
            {t('saveTexts')}
          </Button>
        )}
      </Form>
      <Table<SnapshotOffering>
        rowKey="id"
        size="small"
        pagination={false}
        title={() => <Typography.Text strong>{t('feeTable')}</Typography.Text>}
        dataSource={plan.offerings}
        columns={[
          { title: t('offeringName'), dataIndex: 'name' },
          {
            title: t('feeMode'),
            dataIndex: 'feeMode',
            render: (m: string) => (m === 'free' ? <Tag color="green">{t('free')}</Tag> : label('feeMode', m)),
          },
          { title: t('fee'), key: 'fee', render: (_: unknown, o) => (o.feeMode === 'free' ? '—' : feeText(o, label)) },
          {
            title: t('findings'),
            key: 'f',
            render: (_: unknown, o) =>
              plan.findings
                .filter((f) => f.path === `offerings.${o.id}.feeFen` || f.path === `offerings.${o.id}.feeMode`)
                .map((f) => (
                  <Tag key={f.id + f.path} color={f.severity === 'block' ? 'error' : 'warning'}>
                    {f.id}
                  </Tag>
                )),
          },
        ]}
      />
      <Card size="small" title={t('feeCaps')}>
        <Form
          form={caps}
          layout="inline"
          disabled={readOnly}
          onFinish={(v) =>
            edit.mutate({ method: 'PATCH', path: '', body: { settings: Object.fromEntries(CAPS.map(([k]) => [k, yuanToFen(v[k])])) } })
          }
        >
          {CAPS.map(([k, l]) => (
            <Form.Item key={k} name={k} label={t(l)}>
              <InputNumber min={0} max={100_000} precision={2} prefix="¥" style={{ width: 130 }} />
            </Form.Item>
          ))}
          <Button htmlType="submit" loading={edit.isPending}>
            {t('saveSettings')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
