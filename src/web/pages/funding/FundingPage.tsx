/** 经费 (district): each school's subsidy rate per pupil (R10 cap), budget against what its ledger shows, allocating a term. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, InputNumber, Modal, Popconfirm, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { formatYuan, parseYuan } from '../../../shared/ledger';
import { api, get, post } from '../../api';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { type Dict, useT } from '../../i18n';

interface School {
  id: string;
  code: string;
  name: string;
  remote: boolean;
  capFen: number;
  ratePerPupilFen: number;
  term: { id: string; name: string } | null;
  pupils: number;
  budgetFen: number;
  termShareFen: number;
  allocatedFen: number;
  spentFen: number;
  termAllocated: boolean;
}

const dict: Dict = {
  zh: {
    title: '课后服务经费',
    hint: '生均补助每年不超过 500 元，偏远地区学校可上浮 20%（600 元）（R10）。预算 = 生均标准 × 在读学生；本学期下拨一半，记入学校账目。',
    school: '学校',
    remote: '偏远',
    rate: '生均标准（元/年）',
    cap: '上限',
    pupils: '在读学生',
    budget: '年度预算',
    share: '本学期应拨',
    allocated: '本学期已拨',
    spent: '本学期服务支出',
    set: '设置',
    allocate: '下拨本学期',
    allocateConfirm: '向 {school} 下拨 {term} 补助 {amount} 元？',
    done: '已下拨',
    editTitle: '{school}：生均补助',
    remoteLabel: '偏远地区学校（上限上浮 20%）',
    save: '保存',
    saved: '已保存',
    empty: '本区还没有学校',
    totals: '全区合计',
  },
  en: {
    title: 'After-school funding',
    hint: 'At most 500 yuan per pupil per year; schools marked remote up to 20 % more (600 yuan) (R10). Budget = rate × enrolled pupils; each term half is allocated and posted in the school’s ledger.',
    school: 'School',
    remote: 'Remote',
    rate: 'Rate (yuan/pupil/year)',
    cap: 'Cap',
    pupils: 'Pupils',
    budget: 'Annual budget',
    share: 'Term share',
    allocated: 'Allocated this term',
    spent: 'Service spending this term',
    set: 'Set',
    allocate: 'Allocate term',
    allocateConfirm: 'Allocate {amount} yuan to {school} for {term}?',
    done: 'Allocated',
    editTitle: '{school}: rate per pupil',
    remoteLabel: 'Remote school (cap +20 %)',
    save: 'Save',
    saved: 'Saved',
    empty: 'No schools in the district yet',
    totals: 'District total',
  },
};

const yuan = (f: number) => `¥${formatYuan(f)}`;

export default function FundingPage() {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<School>();
  const [form] = Form.useForm();
  const list = useQuery({ queryKey: ['funding'], queryFn: () => get<School[]>('/district/funding') });
  const refresh = () => qc.invalidateQueries({ queryKey: ['funding'] });
  const save = useMutation({
    mutationFn: (v: { rate: number; remote: boolean }) =>
      api('PUT', `/district/schools/${editing?.id}/funding`, { ratePerPupilFen: parseYuan(String(v.rate)), remote: v.remote }),
    onSuccess: () => {
      message.success(t('saved'));
      setEditing(undefined);
      refresh();
    },
    onError: (e: Error) => message.error(e.message),
  });
  const allocate = useMutation({
    mutationFn: (s: School) => post(`/district/schools/${s.id}/allocations`, { termId: s.term?.id }),
    onSuccess: refresh,
    onError: (e: Error) => message.error(e.message),
  });
  if (list.isLoading) return <Loading />;
  if (list.error) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  const rows = list.data ?? [];
  const sum = (k: 'budgetFen' | 'allocatedFen' | 'spentFen' | 'pupils') => rows.reduce((n, r) => n + r[k], 0);
  return (
    <div style={{ padding: 24 }}>
      <Typography.Title level={3}>{t('title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('hint')}</Typography.Paragraph>
      <Card style={{ marginBottom: 16 }}>
        <div style={{ display: 'flex', gap: 48 }}>
          <Statistic title={t('pupils')} value={sum('pupils')} />
          <Statistic title={t('budget')} value={formatYuan(sum('budgetFen'))} prefix="¥" />
          <Statistic title={t('allocated')} value={formatYuan(sum('allocatedFen'))} prefix="¥" />
          <Statistic title={t('spent')} value={formatYuan(sum('spentFen'))} prefix="¥" />
        </div>
      </Card>
      {rows.length === 0 ? (
        <EmptyState description={t('empty')} />
      ) : (
        <Table
          rowKey="id"
          size="middle"
          dataSource={rows}
          pagination={{ pageSize: 50, showSizeChanger: false }}
          columns={[
            {
              title: t('school'),
              dataIndex: 'name',
              render: (n: string, s: School) => (
                <span>
                  <strong>{n}</strong>
                  {s.remote && (
                    <Tag color="gold" style={{ marginLeft: 8 }}>
                      {t('remote')}
                    </Tag>
                  )}
                  <div style={{ fontSize: 12, color: '#888' }}>{s.term?.name ?? '—'}</div>
                </span>
              ),
            },
            {
              title: t('rate'),
              dataIndex: 'ratePerPupilFen',
              align: 'right',
              render: (f: number, s: School) => (
                <span>
                  {f ? formatYuan(f) : '—'}
                  <div style={{ fontSize: 12, color: '#888' }}>
                    {t('cap')} {formatYuan(s.capFen)}
                  </div>
                </span>
              ),
            },
            { title: t('pupils'), dataIndex: 'pupils', align: 'right' },
            { title: t('budget'), dataIndex: 'budgetFen', align: 'right', render: yuan },
            { title: t('share'), dataIndex: 'termShareFen', align: 'right', render: yuan },
            { title: t('allocated'), dataIndex: 'allocatedFen', align: 'right', render: yuan },
            { title: t('spent'), dataIndex: 'spentFen', align: 'right', render: yuan },
            {
              title: '',
              width: 190,
              render: (_: unknown, s: School) => (
                <span style={{ display: 'flex', gap: 8 }}>
                  <Button
                    size="small"
                    onClick={() => {
                      setEditing(s);
                      form.setFieldsValue({ rate: s.ratePerPupilFen / 100, remote: s.remote });
                    }}
                  >
                    {t('set')}
                  </Button>
                  {s.termAllocated ? (
                    <Tag color="green">{t('done')}</Tag>
                  ) : (
                    <Popconfirm
                      title={t('allocateConfirm', { school: s.name, term: s.term?.name ?? '', amount: formatYuan(s.termShareFen) })}
                      onConfirm={() => allocate.mutate(s)}
                      disabled={!s.term || s.termShareFen === 0}
                    >
                      <Button size="small" type="primary" disabled={!s.term || s.termShareFen === 0}>
                        {t('allocate')}
                      </Button>
                    </Popconfirm>
                  )}
                </span>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={!!editing}
        title={editing ? t('editTitle', { school: editing.name }) : ''}
        okText={t('save')}
        confirmLoading={save.isPending}
        onOk={() => form.submit()}
        onCancel={() => setEditing(undefined)}
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="rate" label={t('rate')} rules={[{ required: true }]}>
            <InputNumber min={0} precision={2} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="remote" valuePropName="checked">
            <Checkbox>{t('remoteLabel')}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
