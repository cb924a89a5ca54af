/** The district's approved third-party providers (N17, L2): schools may collect fees (代收费) only for these. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { get, post } from '../../api';
import { type Dict, formatDateTime, useT } from '../../i18n';

interface Provider {
  id: string;
  name: string;
  creditCode: string;
  status: 'active' | 'removed';
  note: string;
  createdAt: string;
}

const dict: Dict = {
  zh: {
    title: '第三方机构准入名单',
    intro: '学校只能为名单内的机构代收费用；移出名单后不能再代收。',
    name: '机构名称',
    code: '统一社会信用代码',
    note: '备注',
    add: '列入名单',
    remove: '移出名单',
    confirm: '移出后，学校不能再为该机构代收费用。确定？',
    active: '准入',
    removed: '已移出',
    since: '列入时间',
    added: '已列入',
  },
  en: {
    title: 'Approved providers',
    intro: 'Schools may collect fees only for providers on this list; a removed provider can no longer be billed.',
    name: 'Provider',
    code: 'Credit code',
    note: 'Note',
    add: 'Approve',
    remove: 'Remove',
    confirm: 'Schools will no longer collect fees for this provider. Remove?',
    active: 'Approved',
    removed: 'Removed',
    since: 'Since',
    added: 'Approved',
  },
};

export default function ProvidersPage() {
  const t = useT(dict);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const list = useQuery({ queryKey: ['district-providers'], queryFn: () => get<Provider[]>('/district/providers') });
  const done = () => void qc.invalidateQueries({ queryKey: ['district-providers'] });
  const add = useMutation({
    mutationFn: (v: { name: string; creditCode?: string; note?: string }) => post('/district/providers', v),
    onSuccess: () => {
      message.success(t('added'));
      form.resetFields();
      done();
    },
    onError: (e: Error) => message.error(e.message),
  });
  const remove = useMutation({
    mutationFn: (id: string) => post(`/district/providers/${id}/remove`),
    onSuccess: done,
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('intro')}</Typography.Text>
      <Card size="small">
        <Form form={form} layout="inline" onFinish={(v) => add.mutate(v)}>
          <Form.Item name="name" rules={[{ required: true, min: 2 }]}>
            <Input placeholder={t('name')} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name="creditCode">
            <Input placeholder={t('code')} maxLength={18} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="note">
            <Input placeholder={t('note')} style={{ width: 240 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending}>
            {t('add')}
          </Button>
        </Form>
      </Card>
      {list.error && <Alert type="error" showIcon message={(list.error as Error).message} />}
      <Table<Provider>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={false}
        columns={[
          { title: t('name'), dataIndex: 'name' },
          { title: t('code'), dataIndex: 'creditCode' },
          { title: t('note'), dataIndex: 'note' },
          { title: t('since'), render: (_, p) => formatDateTime(p.createdAt) },
          { title: '', render: (_, p) => <Tag color={p.status === 'active' ? 'green' : 'default'}>{t(p.status)}</Tag> },
          {
            title: '',
            render: (_, p) =>
              p.status === 'active' && (
                <Popconfirm title={t('confirm')} onConfirm={() => remove.mutate(p.id)}>
                  <Button size="small" danger>
                    {t('remove')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Space>
  );
}
