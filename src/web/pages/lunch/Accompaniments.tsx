/** 陪餐记录 (N21) and the parent committee (家委会) who may read the lunch accounts. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, Popconfirm, Rate, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, get, post, qs } from '../../api';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { useT } from '../../i18n';
import { dict, todayStr } from './dict';

interface Entry {
  id: string;
  day: string;
  staffName: string;
  notes: string;
  rating: number;
}
interface Member {
  guardianId: string;
  name: string;
  phone: string;
}

export function Accompaniments() {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [month, setMonth] = useState(todayStr().slice(0, 7));
  const list = useQuery({ queryKey: ['lunch', 'accompany', month], queryFn: () => get<Entry[]>(`/lunch/accompaniments${qs({ month })}`) });
  const staff = useQuery({
    queryKey: ['staff', 'own'],
    queryFn: () => get<{ items: { id: string; name: string }[] }>(`/staff${qs({ kind: 'own', pageSize: 200 })}`),
  });
  const add = useMutation({
    mutationFn: (v: { day: dayjs.Dayjs; staffId: string; rating: number; notes?: string }) =>
      post('/lunch/accompaniments', { day: v.day.format('YYYY-MM-DD'), staffId: v.staffId, rating: v.rating, notes: v.notes ?? '' }),
    onSuccess: () => {
      message.success(t('saved'));
      form.resetFields(['notes']);
      qc.invalidateQueries({ queryKey: ['lunch', 'accompany'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('addAccompany')} size="small">
        <Form
          form={form}
          layout="inline"
          initialValues={{ day: dayjs(), rating: 5 }}
          onFinish={(v) => add.mutate(v)}
          style={{ rowGap: 12 }}
        >
          <Form.Item name="day" label={t('day')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="staffId" label={t('leader')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              style={{ width: 160 }}
              options={staff.data?.items.map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
          <Form.Item name="rating" label={t('rating')} rules={[{ required: true }]}>
            <Rate />
          </Form.Item>
          <Form.Item name="notes" label={t('notes')}>
            <Input style={{ width: 260 }} maxLength={500} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending}>
            {t('save')}
          </Button>
        </Form>
      </Card>
      <DatePicker picker="month" value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} allowClear={false} />
      {list.isLoading ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : !list.data?.length ? (
        <EmptyState description={t('noAccompany')} />
      ) : (
        <Table
          rowKey="id"
          pagination={false}
          dataSource={list.data}
          columns={[
            { title: t('day'), dataIndex: 'day', width: 120 },
            { title: t('leader'), dataIndex: 'staffName', width: 120 },
            { title: t('rating'), dataIndex: 'rating', width: 160, render: (r: number) => <Rate disabled value={r} /> },
            { title: t('notes'), dataIndex: 'notes' },
          ]}
        />
      )}
    </Space>
  );
}

export function Committee() {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const list = useQuery({ queryKey: ['lunch', 'committee'], queryFn: () => get<Member[]>('/lunch/committee') });
  const found = useQuery({
    queryKey: ['guardians', q],
    enabled: q.length >= 1,
    queryFn: () => get<{ items: { id: string; name: string; phone: string }[] }>(`/guardians${qs({ q, pageSize: 20 })}`),
  });
  const change = useMutation({
    mutationFn: (a: { add?: string; remove?: string }) =>
      a.add ? post('/lunch/committee', { guardianId: a.add }) : api('DELETE', `/lunch/committee/${a.remove}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['lunch', 'committee'] }),
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('committeeHint')}</Typography.Paragraph>
      <Select
        showSearch
        filterOption={false}
        onSearch={setQ}
        placeholder={`${t('name')} / ${t('phone')}`}
        style={{ width: 320 }}
        value={null}
        onChange={(id: string) => change.mutate({ add: id })}
        options={found.data?.items.map((g) => ({ value: g.id, label: `${g.name} ${g.phone}` }))}
      />
      {list.isLoading ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : !list.data?.length ? (
        <EmptyState description={t('noCommittee')} />
      ) : (
        <Table
          rowKey="guardianId"
          pagination={false}
          dataSource={list.data}
          columns={[
            { title: t('name'), dataIndex: 'name' },
            { title: t('phone'), dataIndex: 'phone' },
            {
              title: '',
              width: 100,
              render: (_: unknown, m: Member) => (
                <Popconfirm title={`${t('remove')} ${m.name}?`} onConfirm={() => change.mutate({ remove: m.guardianId })}>
                  <Button size="small" danger>
                    {t('remove')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      )}
    </Space>
  );
}
