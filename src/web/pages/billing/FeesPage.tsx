/**
 * 收费标准: the fee standards of the term's PUBLISHED plan version (N13: only these are charged; a fee
 * changed in a draft bills nothing until published), the provider of each 代收费 item and whether the
 * district approved it, and the school's billing settings (per term or month, refund rule, due days).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { api, get } from '../../api';
import { type Dict, formatMoney, useT } from '../../i18n';
import { BILLING_MODES, FEE_MODE_LABELS, REFUND_PRESET_LABELS, REFUND_PRESETS } from '../../../shared/billing';
import { useLabel, useTermPicker } from './common';

interface Fee {
  offeringId: string;
  name: string;
  kind: 'care' | 'club';
  lineKind: 'service' | 'club' | 'provider';
  feeMode: keyof typeof FEE_MODE_LABELS;
  feeFen: number;
  providerName: string;
  providerApproved: boolean;
}
interface Settings {
  mode: 'term' | 'month';
  refundPreset: (typeof REFUND_PRESETS)[number];
  dueDays: number;
}
interface FeesView {
  term: { id: string; name: string };
  plan: { version: number; publishedAt: string | null } | null;
  fees: Fee[];
  settings: Settings;
  closed: boolean;
}

const dict: Dict = {
  zh: {
    title: '收费标准',
    intro: '收费标准取自本学期已公示的服务方案；方案草稿中修改的收费在重新公示前不会计费。',
    noPlan: '本学期的服务方案尚未公示，不能收费。',
    version: '公示版本 第 {v} 版',
    item: '项目',
    kind: '类别',
    care: '托管服务',
    club: '社团活动',
    mode: '收费方式',
    fee: '标准',
    provider: '代收费机构',
    approved: '区准入',
    notApproved: '未准入（不能代收）',
    settings: '收费设置',
    billingMode: '开票周期',
    term: '按学期',
    month: '按月',
    preset: '退费规则',
    dueDays: '缴费期限（天）',
    save: '保存设置',
    saved: '已保存',
    closed: '本学期已结账，账目只读',
  },
  en: {
    title: 'Fee standards',
    intro: 'Fees come from the term’s published plan; a fee changed in a draft bills nothing until it is published.',
    noPlan: 'The term’s plan is not published yet: nothing can be charged.',
    version: 'Published version {v}',
    item: 'Item',
    kind: 'Type',
    care: 'Care',
    club: 'Club',
    mode: 'Mode',
    fee: 'Fee',
    provider: 'Collected for',
    approved: 'Approved',
    notApproved: 'Not approved (cannot collect)',
    settings: 'Billing settings',
    billingMode: 'Billing period',
    term: 'Per term',
    month: 'Per month',
    preset: 'Refund rule',
    dueDays: 'Due within (days)',
    save: 'Save settings',
    saved: 'Saved',
    closed: 'This term is closed: read-only',
  },
};

export default function FeesPage() {
  const t = useT(dict);
  const label = useLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { termId, picker } = useTermPicker();
  const view = useQuery({
    queryKey: ['billing-fees', termId],
    enabled: !!termId,
    queryFn: () => get<FeesView>(`/billing/terms/${termId}/fees`),
  });
  const [form] = Form.useForm<Settings>();
  useEffect(() => {
    if (view.data) form.setFieldsValue(view.data.settings);
  }, [view.data, form]);
  const save = useMutation({
    mutationFn: (s: Settings) => api('PUT', '/billing/settings', s),
    onSuccess: () => {
      message.success(t('saved'));
      void qc.invalidateQueries({ queryKey: ['billing-fees'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const v = view.data;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        {picker}
        {v?.plan && <Tag color="blue">{t('version', { v: v.plan.version })}</Tag>}
        {v?.closed && <Tag color="red">{t('closed')}</Tag>}
      </Space>
      <Typography.Text type="secondary">{t('intro')}</Typography.Text>
      {view.error && <Alert type="error" showIcon message={(view.error as Error).message} />}
      {v && !v.plan && <Alert type="warning" showIcon message={t('noPlan')} />}
      <Table<Fee>
        rowKey="offeringId"
        loading={view.isLoading}
        dataSource={v?.fees ?? []}
        pagination={false}
        columns={[
          { title: t('item'), dataIndex: 'name' },
          { title: t('kind'), render: (_, f) => t(f.kind) },
          { title: t('mode'), render: (_, f) => label(FEE_MODE_LABELS[f.feeMode]) },
          { title: t('fee'), align: 'right', render: (_, f) => (f.feeMode === 'free' ? '—' : formatMoney(f.feeFen)) },
          {
            title: t('provider'),
            render: (_, f) =>
              f.providerName ? (
                <Space>
                  {f.providerName}
                  {f.lineKind === 'provider' &&
                    (f.providerApproved ? <Tag color="green">{t('approved')}</Tag> : <Tag color="red">{t('notApproved')}</Tag>)}
                </Space>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <Card title={t('settings')} style={{ maxWidth: 560 }}>
        <Form form={form} layout="vertical" onFinish={(s) => save.mutate(s)}>
          <Form.Item name="mode" label={t('billingMode')} rules={[{ required: true }]}>
            <Select options={BILLING_MODES.map((m) => ({ value: m, label: t(m) }))} />
          </Form.Item>
          <Form.Item name="refundPreset" label={t('preset')} rules={[{ required: true }]}>
            <Select options={REFUND_PRESETS.map((p) => ({ value: p, label: label(REFUND_PRESET_LABELS[p]) }))} />
          </Form.Item>
          <Form.Item name="dueDays" label={t('dueDays')} rules={[{ required: true }]}>
            <InputNumber min={0} max={90} precision={0} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('save')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
