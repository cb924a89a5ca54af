/** The office's term accounts: preview from the ledger, record other spending, publish (each time a new version). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Modal, Row, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { parseYuan } from '../../../shared/ledger';
import { accessOf } from '../../access';
import { get, post } from '../../api';
import { useMe } from '../../auth';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { type Dict, formatDate, useLocale, useT } from '../../i18n';
import { yuan } from '../payments/money';
import { AccountsReport } from './AccountsReport';
import type { TermAccounts } from './types';

const dict: Dict = {
  zh: {
    title: '收支公示',
    term: '学期',
    preview: '预览（来自账簿，尚未公示）',
    publish: '公示',
    publishTitle: '公示本学期收支',
    publishHint: '公示后家长和公众可在学校公示页看到此版本；再次公示会生成新版本，旧版本保留。',
    note: '说明（可选）',
    published: '已公示第 {v} 版',
    versions: '历次公示',
    openPublic: '打开公示页',
    expenses: '其他支出（耗材等）',
    addExpense: '登记支出',
    account: '类别',
    materials: '耗材与活动材料',
    other: '其他支出',
    description: '用途',
    amountYuan: '金额（元）',
    amountBad: '请输入金额（元，最多两位小数）',
    spentOn: '日期',
    saved: '已登记',
    unbalanced: '账目不平（差 {d}），请先核对账簿再公示',
    noTerm: '还没有学期。',
    noVersions: '尚未公示',
    print: '打印',
  },
  en: {
    title: 'Term accounts',
    term: 'Term',
    preview: 'Preview (from the ledger, not yet published)',
    publish: 'Publish',
    publishTitle: 'Publish this term’s accounts',
    publishHint:
      'Guardians and the public will see this version on the school’s public page; publishing again makes a new version and keeps the old ones.',
    note: 'Note (optional)',
    published: 'Published version {v}',
    versions: 'Published versions',
    openPublic: 'Open the public page',
    expenses: 'Other spending (materials…)',
    addExpense: 'Record spending',
    account: 'Category',
    materials: 'Materials',
    other: 'Other',
    description: 'What for',
    amountYuan: 'Amount (yuan)',
    amountBad: 'Enter an amount in yuan with at most two decimals',
    spentOn: 'Date',
    saved: 'Recorded',
    unbalanced: 'The books do not balance ({d}); check the ledger before publishing',
    noTerm: 'No term yet.',
    noVersions: 'Not published yet',
    print: 'Print',
  },
};

interface Term {
  id: string;
  name: string;
}
interface Preview {
  report: TermAccounts;
  versions: { id: string; version: number; note: string; publishedAt: string }[];
  expenses: { id: string; account: string; amountFen: number; description: string; spentOn: string }[];
}

export default function AccountsOfficePage() {
  const t = useT(dict);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const me = useMe().data;
  const access = accessOf(me);
  const [termId, setTermId] = useState<string>();
  const [publishing, setPublishing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [note, setNote] = useState('');
  const [form] = Form.useForm();
  const terms = useQuery({ queryKey: ['terms'], queryFn: () => get<Term[]>('/terms') });
  const school = useQuery({ queryKey: ['school'], queryFn: () => get<{ code: string }>('/school') });
  const term = termId ?? terms.data?.[0]?.id;
  const preview = useQuery({ queryKey: ['accounts', term], queryFn: () => get<Preview>(`/accounts/terms/${term}`), enabled: !!term });
  const publish = useMutation({
    mutationFn: () => post<{ version: { version: number } }>(`/accounts/terms/${term}/publish`, { note }),
    onSuccess: (r) => {
      message.success(t('published', { v: r.version.version }));
      setPublishing(false);
      setNote('');
      qc.invalidateQueries({ queryKey: ['accounts'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const addExpense = useMutation({
    mutationFn: (v: { account: string; amount: string; description: string; spentOn: dayjs.Dayjs }) =>
      post(`/accounts/terms/${term}/expenses`, {
        account: v.account,
        amountFen: parseYuan(v.amount),
        description: v.description,
        spentOn: v.spentOn.format('YYYY-MM-DD'),
      }),
    onSuccess: () => {
      message.success(t('saved'));
      setAdding(false);
      form.resetFields();
      qc.invalidateQueries({ queryKey: ['accounts'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  if (terms.isLoading) return <Loading />;
  if (terms.error) return <ErrorState error={terms.error} onRetry={() => terms.refetch()} />;
  if (!term) return <EmptyState description={t('noTerm')} />;
  const canWrite = access.has('accounts.write');
  const publicUrl = school.data ? `/accounts/${school.data.code}` : undefined;
  return (
    <div>
      <Space className="no-print" wrap style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Select
          aria-label={t('term')}
          value={term}
          onChange={setTermId}
          style={{ width: 260 }}
          options={terms.data?.map((x) => ({ value: x.id, label: x.name }))}
        />
        {canWrite && (
          <Button type="primary" onClick={() => setPublishing(true)} disabled={preview.data?.report.imbalanceFen !== 0}>
            {t('publish')}
          </Button>
        )}
        {publicUrl && (
          <Button href={publicUrl} target="_blank">
            {t('openPublic')}
          </Button>
        )}
        <Button onClick={() => window.print()}>{t('print')}</Button>
      </Space>
      {preview.error && <ErrorState error={preview.error} onRetry={() => preview.refetch()} />}
      {preview.isLoading && <Loading />}
      {preview.data && (
        <Row gutter={16}>
          <Col xs={24} xxl={15}>
            {preview.data.report.imbalanceFen !== 0 && (
              <Alert type="error" message={t('unbalanced', { d: yuan(preview.data.report.imbalanceFen) })} style={{ marginBottom: 12 }} />
            )}
            <Card title={t('preview')} size="small" style={{ marginBottom: 16 }}>
              <AccountsReport report={preview.data.report} />
            </Card>
          </Col>
          <Col xs={24} xxl={9} className="no-print">
            <Card
              size="small"
              title={t('expenses')}
              style={{ marginBottom: 16 }}
              extra={
                canWrite && (
                  <Button size="small" onClick={() => setAdding(true)}>
                    {t('addExpense')}
                  </Button>
                )
              }
            >
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={preview.data.expenses}
                columns={[
                  { title: t('spentOn'), dataIndex: 'spentOn' },
                  {
                    title: t('account'),
                    dataIndex: 'account',
                    render: (a: string) => t(a === 'expense.materials' ? 'materials' : 'other'),
                  },
                  { title: t('description'), dataIndex: 'description' },
                  { title: t('amountYuan'), dataIndex: 'amountFen', align: 'right', render: (v: number) => yuan(v) },
                ]}
              />
            </Card>
            <Card size="small" title={t('versions')}>
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                locale={{ emptyText: t('noVersions') }}
                dataSource={preview.data.versions}
                columns={[
                  {
                    title: 'v',
                    dataIndex: 'version',
                    render: (v: number) => (publicUrl ? <a href={`${publicUrl}?termId=${term}&version=${v}`}>v{v}</a> : `v${v}`),
                  },
                  { title: t('spentOn'), dataIndex: 'publishedAt', render: (v: string) => formatDate(v, locale) },
                  { title: t('note'), dataIndex: 'note' },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
      <Modal
        open={publishing}
        title={t('publishTitle')}
        onCancel={() => setPublishing(false)}
        onOk={() => publish.mutate()}
        confirmLoading={publish.isPending}
      >
        <p>{t('publishHint')}</p>
        <Input.TextArea
          aria-label={t('note')}
          placeholder={t('note')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={500}
          rows={3}
        />
      </Modal>
      <Modal
        open={adding}
        title={t('addExpense')}
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        confirmLoading={addExpense.isPending}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ account: 'expense.materials', spentOn: dayjs() }}
          onFinish={(v) => addExpense.mutate(v)}
        >
          <Form.Item name="account" label={t('account')}>
            <Select
              options={[
                { value: 'expense.materials', label: t('materials') },
                { value: 'expense.other', label: t('other') },
              ]}
            />
          </Form.Item>
          <Form.Item name="description" label={t('description')} rules={[{ required: true, min: 2, max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="amount"
            label={t('amountYuan')}
            rules={[
              {
                validator: (_r, v) =>
                  v && (parseYuan(String(v)) ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('amountBad'))),
              },
            ]}
          >
            <Input inputMode="decimal" prefix="¥" />
          </Form.Item>
          <Form.Item name="spentOn" label={t('spentOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
