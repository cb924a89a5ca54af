/** The e-mail channel's settings: SMTP server, sender, the school's mailbox that receives every notification. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Space, Switch } from 'antd';
import { useEffect } from 'react';
import { api } from '../../api';
import { type Dict, useT } from '../../i18n';

const dict: Dict = {
  zh: {
    enabled: '启用',
    host: 'SMTP 服务器',
    port: '端口',
    secure: '直接 TLS（465 端口）',
    user: '用户名',
    pass: '密码（留空则保留原密码）',
    passSet: '已设置密码（不显示）',
    from: '发件地址',
    to: '学校收件邮箱（每条通知一封，主题写明接收人）',
    maxAttempts: '最多尝试次数',
    save: '保存',
    saved: '已保存',
  },
  en: {
    enabled: 'Enabled',
    host: 'SMTP server',
    port: 'Port',
    secure: 'TLS from the start (port 465)',
    user: 'User',
    pass: 'Password (empty keeps the saved one)',
    passSet: 'A password is set (not shown)',
    from: 'From',
    to: 'School mailbox (one mail per notification, recipient named in the subject)',
    maxAttempts: 'Max attempts',
    save: 'Save',
    saved: 'Saved',
  },
};

interface Props {
  ch: { enabled: boolean; config: Record<string, unknown>; secretSet: boolean; maxAttempts: number };
}

export function EmailForm({ ch }: Props) {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  useEffect(() => {
    form.setFieldsValue({ port: 465, secure: true, user: '', ...ch.config, enabled: ch.enabled, maxAttempts: ch.maxAttempts, pass: '' });
  }, [ch, form]);
  const save = useMutation({
    mutationFn: ({ enabled, maxAttempts, ...config }: Record<string, unknown>) =>
      api('PUT', '/outbox/channels/email', {
        enabled,
        maxAttempts,
        config: { ...config, user: config.user ?? '', pass: config.pass ?? '' },
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
      <Space wrap>
        <Form.Item name="host" label={t('host')} rules={[{ required: true }]}>
          <Input placeholder="smtp.example.edu.cn" style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="port" label={t('port')}>
          <InputNumber min={1} max={65535} />
        </Form.Item>
        <Form.Item name="secure" label={t('secure')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Space>
      <Space wrap>
        <Form.Item name="user" label={t('user')}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="pass" label={t('pass')} extra={ch.secretSet ? t('passSet') : undefined}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Space>
      <Form.Item name="from" label={t('from')} rules={[{ required: true, type: 'email' }]}>
        <Input />
      </Form.Item>
      <Form.Item name="to" label={t('to')} rules={[{ required: true, type: 'email' }]}>
        <Input />
      </Form.Item>
      <Form.Item name="maxAttempts" label={t('maxAttempts')}>
        <InputNumber min={1} max={20} />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('save')}
        </Button>
      </Form.Item>
    </Form>
  );
}
