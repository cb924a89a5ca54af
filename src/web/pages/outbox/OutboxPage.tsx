/**
 * 通知外发 (office): the channels notifications go out through (webhook now; e-mail, SMS and WeChat
 * template messages where an adapter is wired, see README), the deliveries with their state and the
 * error of failed ones, a retry button, and the grade heads told of incidents.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Segmented, Space, Switch, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, get, post, qs } from '../../api';
import { type Dict, useT } from '../../i18n';
import { EmailForm } from './EmailForm';
import { GradeHeadsCard } from './GradeHeadsCard';

const dict: Dict = {
  zh: {
    title: '通知外发',
    channels: '外发渠道',
    webhook: 'Webhook（学校系统对接）',
    email: '电子邮件',
    sms: '短信',
    wechat: '微信模板消息',
    notWired: '尚未接入：适配器的位置见 README“通知外发渠道”',
    url: '接收地址（POST JSON）',
    secret: '签名密钥（HMAC-SHA256，留空则保留原密钥）',
    secretSet: '已设置密钥（不显示）',
    timeout: '超时（毫秒）',
    maxAttempts: '最多尝试次数',
    enabled: '启用',
    save: '保存',
    saved: '已保存',
    deliveries: '外发记录',
    all: '全部',
    pending: '待发送',
    sending: '发送中',
    delivered: '已送达',
    dead: '失败',
    retry: '重试',
    when: '时间',
    to: '接收人',
    what: '通知',
    channel: '渠道',
    state: '状态',
    attempts: '尝试',
    error: '错误',
    next: '下次尝试 {t}',
    empty: '暂无外发记录（启用渠道后，每条通知都会在这里留下记录）',
  },
  en: {
    title: 'Outbound notifications',
    channels: 'Channels',
    webhook: 'Webhook (school systems)',
    email: 'E-mail',
    sms: 'SMS',
    wechat: 'WeChat template message',
    notWired: 'Not wired yet: see README, “Notification channels”, for where an adapter goes',
    url: 'Receiver URL (POST JSON)',
    secret: 'Signing secret (HMAC-SHA256; empty keeps the saved one)',
    secretSet: 'A secret is set (not shown)',
    timeout: 'Timeout (ms)',
    maxAttempts: 'Max attempts',
    enabled: 'Enabled',
    save: 'Save',
    saved: 'Saved',
    deliveries: 'Deliveries',
    all: 'All',
    pending: 'Pending',
    sending: 'Sending',
    delivered: 'Delivered',
    dead: 'Failed',
    retry: 'Retry',
    when: 'When',
    to: 'To',
    what: 'Notification',
    channel: 'Channel',
    state: 'State',
    attempts: 'Attempts',
    error: 'Error',
    next: 'next try {t}',
    empty: 'No deliveries yet (once a channel is on, every notification leaves a row here)',
  },
};

interface Channel {
  kind: string;
  available: boolean;
  enabled: boolean;
  config: { url?: string; timeoutMs?: number };
  secretSet: boolean;
  maxAttempts: number;
}
interface DeliveryRow {
  id: string;
  channel: string;
  status: 'pending' | 'sending' | 'delivered' | 'dead';
  attempts: number;
  nextAt: string;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  kind: string;
  title: string;
  recipientName: string;
}
const COLOR = { pending: 'gold', sending: 'blue', delivered: 'green', dead: 'red' } as const;
const when = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '');

function WebhookForm({ ch }: { ch: Channel }) {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  useEffect(() => {
    form.setFieldsValue({
      enabled: ch.enabled,
      url: ch.config.url ?? '',
      timeoutMs: ch.config.timeoutMs ?? 5000,
      maxAttempts: ch.maxAttempts,
      secret: '',
    });
  }, [ch, form]);
  const save = useMutation({
    mutationFn: (v: { enabled: boolean; url: string; secret: string; timeoutMs: number; maxAttempts: number }) =>
      api('PUT', '/outbox/channels/webhook', {
        enabled: v.enabled,
        maxAttempts: v.maxAttempts,
        config: { url: v.url, secret: v.secret ?? '', timeoutMs: v.timeoutMs },
      }),
    onSuccess: () => {
      message.success(t('saved'));
      qc.invalidateQueries({ queryKey: ['outbox-channels'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} style={{ maxWidth: 560 }}>
      <Form.Item name="enabled" label={t('enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="url" label={t('url')} rules={[{ required: true }]}>
        <Input placeholder="https://example.edu.cn/kehou-hook" />
      </Form.Item>
      <Form.Item name="secret" label={t('secret')} extra={ch.secretSet ? t('secretSet') : undefined}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Space>
        <Form.Item name="timeoutMs" label={t('timeout')}>
          <InputNumber min={500} max={30000} step={500} />
        </Form.Item>
        <Form.Item name="maxAttempts" label={t('maxAttempts')}>
          <InputNumber min={1} max={20} />
        </Form.Item>
      </Space>
      <Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('save')}
        </Button>
      </Form.Item>
    </Form>
  );
}

export default function OutboxPage() {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [status, setStatus] = useState<string>('all');
  const [page, setPage] = useState(1);
  const channels = useQuery({ queryKey: ['outbox-channels'], queryFn: () => get<{ channels: Channel[] }>('/outbox/channels') });
  const list = useQuery({
    queryKey: ['outbox-deliveries', status, page],
    queryFn: () =>
      get<{ items: DeliveryRow[]; total: number; counts: Record<string, number> }>(
        `/outbox/deliveries${qs({ status: status === 'all' ? undefined : status, page, pageSize: 20 })}`,
      ),
    refetchInterval: 5000,
  });
  const retry = useMutation({
    mutationFn: (id: string) => post(`/outbox/deliveries/${id}/retry`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['outbox-deliveries'] }),
    onError: (e: Error) => message.error(e.message),
  });
  const counts = list.data?.counts ?? {};
  return (
    <div>
      <Typography.Title level={4}>{t('title')}</Typography.Title>
      <Card title={t('channels')} style={{ marginBottom: 16 }} loading={channels.isLoading}>
        {channels.error && <Alert type="error" message={(channels.error as Error).message} />}
        {channels.data?.channels.map((ch) => (
          <div key={ch.kind} style={{ marginBottom: 12, paddingBottom: 8, borderBottom: '1px solid #f0f0f0' }}>
            <Typography.Title level={5}>
              {t(ch.kind)} {ch.enabled ? <Tag color="green">{t('enabled')}</Tag> : null}
            </Typography.Title>
            {!ch.available ? (
              <Typography.Text type="secondary">{t('notWired')}</Typography.Text>
            ) : ch.kind === 'email' ? (
              <EmailForm ch={ch} />
            ) : (
              <WebhookForm ch={ch} />
            )}
          </div>
        ))}
      </Card>
      <Card
        title={t('deliveries')}
        style={{ marginBottom: 16 }}
        extra={
          <Segmented
            value={status}
            onChange={(v) => {
              setStatus(String(v));
              setPage(1);
            }}
            options={['all', 'pending', 'delivered', 'dead'].map((s) => ({
              value: s,
              label: s === 'all' ? t('all') : `${t(s)} ${counts[s] ?? 0}`,
            }))}
          />
        }
      >
        {list.error && <Alert type="error" message={(list.error as Error).message} />}
        <Table<DeliveryRow>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: t('empty') }}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          scroll={{ x: 800 }}
          columns={[
            { title: t('when'), dataIndex: 'createdAt', render: when, width: 170 },
            { title: t('to'), dataIndex: 'recipientName', width: 140 },
            { title: t('what'), dataIndex: 'title' },
            { title: t('channel'), dataIndex: 'channel', width: 90 },
            {
              title: t('state'),
              dataIndex: 'status',
              width: 200,
              render: (s: DeliveryRow['status'], r) => (
                <Space direction="vertical" size={0}>
                  <Tag color={COLOR[s]}>{t(s)}</Tag>
                  {s === 'pending' && r.attempts > 0 && (
                    <Typography.Text type="secondary">{t('next', { t: when(r.nextAt) })}</Typography.Text>
                  )}
                  {s === 'delivered' && <Typography.Text type="secondary">{when(r.deliveredAt)}</Typography.Text>}
                </Space>
              ),
            },
            { title: t('attempts'), dataIndex: 'attempts', width: 70 },
            {
              title: t('error'),
              dataIndex: 'lastError',
              render: (e: string | null) => (e ? <Typography.Text type="danger">{e}</Typography.Text> : ''),
            },
            {
              title: '',
              width: 80,
              render: (_: unknown, r) =>
                r.status === 'dead' || r.status === 'pending' ? (
                  <Button size="small" onClick={() => retry.mutate(r.id)} loading={retry.isPending && retry.variables === r.id}>
                    {t('retry')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <GradeHeadsCard />
    </div>
  );
}
