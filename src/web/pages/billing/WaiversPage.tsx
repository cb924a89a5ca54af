/**
 * 减免 (N14): guardians' applications waiting for a decision (approve a share, partial or full, or
 * reject with a reason; the guardians are told), every waiver of the term, and the hardship
 * registrations verified by the office that waive automatically when billing.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { get, post, qs } from '../../api';
import { type Dict, formatDateTime, useT } from '../../i18n';
import { HARDSHIP_CATEGORIES, HARDSHIP_LABELS } from '../../../shared/billing';
import { bpToPercent, useLabel, useTermPicker } from './common';

interface Waiver {
  id: string;
  studentName: string;
  className: string;
  source: 'automatic' | 'application';
  category: keyof typeof HARDSHIP_LABELS;
  basisPoints: number;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  reason: string;
  decisionNote: string;
  createdAt: string;
}
interface Hardship {
  id: string;
  studentName: string;
  className: string;
  category: keyof typeof HARDSHIP_LABELS;
  basisPoints: number;
  validFrom: string;
  validTo: string | null;
  evidence: string;
  status: 'active' | 'revoked';
}

const dict: Dict = {
  zh: {
    title: '减免',
    pending: '待审批申请',
    all: '本学期减免',
    hardship: '困难家庭登记',
    pupil: '学生',
    class: '班级',
    category: '类别',
    share: '减免比例',
    reason: '申请理由',
    status: '状态',
    source: '来源',
    automatic: '自动（困难登记）',
    application: '家长申请',
    approve: '批准',
    reject: '不予减免',
    approved: '已批准',
    rejected: '未批准',
    withdrawn: '已撤回',
    pendingTag: '待审批',
    percent: '减免百分比（0.01–100）',
    note: '意见（家长可见）',
    noteRequired: '请写明不予减免的理由',
    done: '已处理，已通知家长',
    noPending: '没有待审批的申请',
    register: '登记困难家庭',
    student: '学生（姓名或学号）',
    validFrom: '有效期自',
    validTo: '至（可空）',
    evidence: '证明材料（证号/核验情况）',
    save: '登记',
    saved: '已登记；下次生成账单时自动减免',
    revoke: '撤销',
    active: '有效',
    revoked: '已撤销',
  },
  en: {
    title: 'Waivers',
    pending: 'Applications to decide',
    all: 'Waivers this term',
    hardship: 'Hardship registrations',
    pupil: 'Pupil',
    class: 'Class',
    category: 'Category',
    share: 'Share',
    reason: 'Reason',
    status: 'Status',
    source: 'Source',
    automatic: 'Automatic (registered)',
    application: 'Application',
    approve: 'Approve',
    reject: 'Reject',
    approved: 'Approved',
    rejected: 'Rejected',
    withdrawn: 'Withdrawn',
    pendingTag: 'Pending',
    percent: 'Waived percent (0.01–100)',
    note: 'Note (shown to guardians)',
    noteRequired: 'Give the reason for rejecting',
    done: 'Decided; guardians notified',
    noPending: 'No applications waiting',
    register: 'Register a hardship family',
    student: 'Pupil (name or number)',
    validFrom: 'Valid from',
    validTo: 'to (optional)',
    evidence: 'Evidence (certificate no., how verified)',
    save: 'Register',
    saved: 'Registered; waived automatically at the next billing run',
    revoke: 'Revoke',
    active: 'Active',
    revoked: 'Revoked',
  },
};

const STATUS_COLOR = {
  pending: 'orange',
  approved: 'green',
  rejected: 'red',
  withdrawn: 'default',
  active: 'green',
  revoked: 'default',
} as const;

export default function WaiversPage() {
  const t = useT(dict);
  const label = useLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { termId, picker } = useTermPicker();
  const [deciding, setDeciding] = useState<{ w: Waiver; decision: 'approve' | 'reject' } | null>(null);
  const [studentQ, setStudentQ] = useState('');
  const [decisionForm] = Form.useForm<{ percent: number; note: string }>();
  const [regForm] = Form.useForm();
  const waivers = useQuery({
    queryKey: ['billing-waivers', termId],
    enabled: !!termId,
    queryFn: () => get<Waiver[]>(`/billing/terms/${termId}/waivers`),
  });
  const hardship = useQuery({ queryKey: ['billing-hardship'], queryFn: () => get<Hardship[]>('/billing/hardship') });
  const students = useQuery({
    queryKey: ['students-search', studentQ],
    enabled: studentQ.length > 0,
    queryFn: () => get<{ items: { id: string; name: string; studentNo: string }[] }>(`/students${qs({ q: studentQ, pageSize: 20 })}`),
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['billing-waivers'] });
    void qc.invalidateQueries({ queryKey: ['billing-hardship'] });
    void qc.invalidateQueries({ queryKey: ['billing-invoices'] });
  };
  const decide = useMutation({
    mutationFn: (v: { percent?: number; note: string }) =>
      post(
        `/billing/waivers/${deciding?.w.id}/decision`,
        deciding?.decision === 'approve'
          ? { decision: 'approve', basisPoints: Math.round((v.percent ?? 0) * 100), note: v.note ?? '' }
          : { decision: 'reject', note: v.note },
      ),
    onSuccess: () => {
      message.success(t('done'));
      setDeciding(null);
      refresh();
    },
    onError: (e: Error) => message.error(e.message),
  });
  const register = useMutation({
    mutationFn: (v: {
      studentId: string;
      category: string;
      percent: number;
      validFrom: { format(f: string): string };
      validTo?: { format(f: string): string };
      evidence: string;
    }) =>
      post('/billing/hardship', {
        studentId: v.studentId,
        category: v.category,
        basisPoints: Math.round(v.percent * 100),
        validFrom: v.validFrom.format('YYYY-MM-DD'),
        validTo: v.validTo ? v.validTo.format('YYYY-MM-DD') : null,
        evidence: v.evidence,
      }),
    onSuccess: () => {
      message.success(t('saved'));
      regForm.resetFields();
      refresh();
    },
    onError: (e: Error) => message.error(e.message),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => post(`/billing/hardship/${id}/revoke`),
    onSuccess: refresh,
    onError: (e: Error) => message.error(e.message),
  });
  const pending = (waivers.data ?? []).filter((w) => w.status === 'pending');
  const statusTag = (s: keyof typeof STATUS_COLOR) => <Tag color={STATUS_COLOR[s]}>{t(s === 'pending' ? 'pendingTag' : s)}</Tag>;
  const waiverColumns = [
    { title: t('class'), dataIndex: 'className' },
    { title: t('pupil'), dataIndex: 'studentName' },
    { title: t('source'), render: (_: unknown, w: Waiver) => t(w.source) },
    { title: t('category'), render: (_: unknown, w: Waiver) => label(HARDSHIP_LABELS[w.category], w.category) },
    { title: t('share'), render: (_: unknown, w: Waiver) => bpToPercent(w.basisPoints) },
    { title: t('reason'), dataIndex: 'reason' },
    { title: t('status'), render: (_: unknown, w: Waiver) => statusTag(w.status) },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        {picker}
      </Space>
      {waivers.error && <Alert type="error" showIcon message={(waivers.error as Error).message} />}
      <Tabs
        items={[
          {
            key: 'pending',
            label: `${t('pending')} (${pending.length})`,
            children: (
              <Table<Waiver>
                rowKey="id"
                loading={waivers.isLoading}
                dataSource={pending}
                locale={{ emptyText: t('noPending') }}
                pagination={false}
                columns={[
                  ...waiverColumns.slice(0, 2),
                  { title: t('reason'), dataIndex: 'reason' },
                  { title: '', render: (_, w) => formatDateTime(w.createdAt) },
                  {
                    title: '',
                    render: (_, w) => (
                      <Space>
                        <Button
                          type="primary"
                          size="small"
                          onClick={() => {
                            decisionForm.setFieldsValue({ percent: 100, note: '' });
                            setDeciding({ w, decision: 'approve' });
                          }}
                        >
                          {t('approve')}
                        </Button>
                        <Button
                          danger
                          size="small"
                          onClick={() => {
                            decisionForm.setFieldsValue({ note: '' });
                            setDeciding({ w, decision: 'reject' });
                          }}
                        >
                          {t('reject')}
                        </Button>
                      </Space>
                    ),
                  },
                ]}
              />
            ),
          },
          {
            key: 'all',
            label: t('all'),
            children: (
              <Table<Waiver>
                rowKey="id"
                loading={waivers.isLoading}
                dataSource={waivers.data ?? []}
                columns={waiverColumns}
                pagination={{ pageSize: 30 }}
              />
            ),
          },
          {
            key: 'hardship',
            label: t('hardship'),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Card size="small" title={t('register')}>
                  <Form
                    form={regForm}
                    layout="inline"
                    onFinish={(v) => register.mutate(v)}
                    initialValues={{ category: 'dibao', percent: 100 }}
                  >
                    <Form.Item name="studentId" rules={[{ required: true }]}>
                      <Select
                        showSearch
                        filterOption={false}
                        onSearch={setStudentQ}
                        placeholder={t('student')}
                        style={{ width: 200 }}
                        options={(students.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.studentNo}）` }))}
                      />
                    </Form.Item>
                    <Form.Item name="category" rules={[{ required: true }]}>
                      <Select
                        style={{ width: 170 }}
                        options={HARDSHIP_CATEGORIES.map((c) => ({ value: c, label: label(HARDSHIP_LABELS[c]) }))}
                      />
                    </Form.Item>
                    <Form.Item name="percent" label={t('share')} rules={[{ required: true }]}>
                      <InputNumber min={0.01} max={100} precision={2} addonAfter="%" style={{ width: 120 }} />
                    </Form.Item>
                    <Form.Item name="validFrom" rules={[{ required: true }]}>
                      <DatePicker placeholder={t('validFrom')} />
                    </Form.Item>
                    <Form.Item name="validTo">
                      <DatePicker placeholder={t('validTo')} />
                    </Form.Item>
                    <Form.Item name="evidence" rules={[{ required: true }]}>
                      <Input placeholder={t('evidence')} style={{ width: 220 }} />
                    </Form.Item>
                    <Button type="primary" htmlType="submit" loading={register.isPending}>
                      {t('save')}
                    </Button>
                  </Form>
                </Card>
                <Table<Hardship>
                  rowKey="id"
                  loading={hardship.isLoading}
                  dataSource={hardship.data ?? []}
                  pagination={{ pageSize: 30 }}
                  columns={[
                    { title: t('class'), dataIndex: 'className' },
                    { title: t('pupil'), dataIndex: 'studentName' },
                    { title: t('category'), render: (_, h) => label(HARDSHIP_LABELS[h.category], h.category) },
                    { title: t('share'), render: (_, h) => bpToPercent(h.basisPoints) },
                    { title: t('validFrom'), render: (_, h) => `${h.validFrom} – ${h.validTo ?? ''}` },
                    { title: t('evidence'), dataIndex: 'evidence' },
                    { title: t('status'), render: (_, h) => statusTag(h.status) },
                    {
                      title: '',
                      render: (_, h) =>
                        h.status === 'active' && (
                          <Button size="small" onClick={() => revoke.mutate(h.id)}>
                            {t('revoke')}
                          </Button>
                        ),
                    },
                  ]}
                />
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!deciding}
        title={deciding ? `${t(deciding.decision)} · ${deciding.w.studentName}` : ''}
        onCancel={() => setDeciding(null)}
        onOk={() => decisionForm.submit()}
        confirmLoading={decide.isPending}
      >
        <Form form={decisionForm} layout="vertical" onFinish={(v) => decide.mutate(v)}>
          {deciding?.decision === 'approve' && (
            <Form.Item name="percent" label={t('percent')} rules={[{ required: true }]}>
              <InputNumber min={0.01} max={100} precision={2} addonAfter="%" />
            </Form.Item>
          )}
          <Form.Item
            name="note"
            label={t('note')}
            rules={deciding?.decision === 'reject' ? [{ required: true, message: t('noteRequired') }] : []}
          >
            <Input.TextArea rows={3} maxLength={300} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
