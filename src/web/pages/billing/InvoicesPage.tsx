/**
 * 账单: generate the term's bills (a run with a progress bar polled from the server; re-running only
 * issues what changed), the bills per pupil filtered by class or name, and a pupil's statement.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Input, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { get, post, qs } from '../../api';
import { type Dict, formatDateTime, formatMoney, useT } from '../../i18n';
import { useTermPicker } from './common';

interface Run {
  id: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  documents: number;
  error: string | null;
  finishedAt: string | null;
}
interface Row {
  studentId: string;
  name: string;
  studentNo: string;
  className: string;
  documents: number;
  chargedFen: number;
  waivedFen: number;
  creditedFen: number;
  paidFen: number;
  dueFen: number;
}

const dict: Dict = {
  zh: {
    title: '账单',
    generate: '生成 / 更新本学期账单',
    hint: '按录取结果、校历、请假与停课、减免生成；重复生成只开具变化部分（补缴单或退费单），不改动已开账单。',
    running: '正在开票 {d} / {n} 人',
    done: '完成：{n} 人，新开具 {k} 张单据',
    failed: '开票失败：{e}',
    last: '上次开票 {t}',
    class: '班级',
    allClasses: '全部班级',
    search: '姓名或学号',
    name: '姓名',
    no: '学号',
    docs: '单据',
    charged: '应收',
    waived: '减免',
    credited: '退费',
    paid: '已缴',
    due: '欠费',
    empty: '本学期还没有账单',
    open: '明细',
  },
  en: {
    title: 'Bills',
    generate: 'Generate / update the term’s bills',
    hint: 'From enrolments, the calendar, leave and cancelled days, and waivers; running again only issues what changed (supplements or credit notes), never edits a bill.',
    running: 'Billing {d} / {n} pupils',
    done: 'Done: {n} pupils, {k} new documents',
    failed: 'Billing failed: {e}',
    last: 'Last run {t}',
    class: 'Class',
    allClasses: 'All classes',
    search: 'Name or number',
    name: 'Name',
    no: 'No.',
    docs: 'Docs',
    charged: 'Charged',
    waived: 'Waived',
    credited: 'Credited',
    paid: 'Paid',
    due: 'Due',
    empty: 'No bills this term yet',
    open: 'Statement',
  },
};

export default function InvoicesPage() {
  const t = useT(dict);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { termId, picker } = useTermPicker();
  const [classId, setClassId] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [runId, setRunId] = useState<string | null>(null);
  const classes = useQuery({ queryKey: ['classes'], queryFn: () => get<{ id: string; name: string }[]>('/classes') });
  const list = useQuery({
    queryKey: ['billing-invoices', termId, classId, q],
    enabled: !!termId,
    queryFn: () => get<{ rows: Row[] }>(`/billing/terms/${termId}/invoices${qs({ classId, q: q || undefined })}`),
  });
  const run = useQuery({
    queryKey: ['billing-run', runId],
    enabled: !!runId,
    queryFn: () => get<Run>(`/billing/runs/${runId}`),
    refetchInterval: (query) => (query.state.data?.status === 'running' || !query.state.data ? 400 : false),
  });
  useEffect(() => {
    if (run.data && run.data.status !== 'running') void qc.invalidateQueries({ queryKey: ['billing-invoices'] });
  }, [run.data, qc]);
  const start = useMutation({
    mutationFn: () => post<Run>(`/billing/terms/${termId}/runs`),
    onSuccess: (r) => setRunId(r.id),
    onError: (e: Error) => message.error(e.message),
  });
  const r = run.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        {picker}
        <Button type="primary" onClick={() => start.mutate()} loading={start.isPending || r?.status === 'running'} disabled={!termId}>
          {t('generate')}
        </Button>
      </Space>
      <Typography.Text type="secondary">{t('hint')}</Typography.Text>
      {r && (
        <div style={{ maxWidth: 560 }}>
          <Progress
            percent={r.total ? Math.round((100 * r.done) / r.total) : 100}
            status={r.status === 'failed' ? 'exception' : r.status === 'done' ? 'success' : 'active'}
          />
          {r.status === 'running' && <Typography.Text>{t('running', { d: r.done, n: r.total })}</Typography.Text>}
          {r.status === 'done' && <Alert type="success" showIcon message={t('done', { n: r.total, k: r.documents })} />}
          {r.status === 'failed' && <Alert type="error" showIcon message={t('failed', { e: r.error ?? '' })} />}
          {r.finishedAt && <Typography.Text type="secondary">{t('last', { t: formatDateTime(r.finishedAt) })}</Typography.Text>}
        </div>
      )}
      <Space wrap>
        <Select
          allowClear
          placeholder={t('allClasses')}
          style={{ minWidth: 160 }}
          value={classId}
          onChange={setClassId}
          options={(classes.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
        <Input.Search allowClear placeholder={t('search')} onSearch={setQ} style={{ width: 220 }} />
      </Space>
      {list.error && <Alert type="error" showIcon message={(list.error as Error).message} />}
      <Table<Row>
        rowKey="studentId"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.rows ?? []}
        locale={{ emptyText: t('empty') }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        onRow={(row) => ({ onClick: () => navigate(`/office/billing/${termId}/students/${row.studentId}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('class'), dataIndex: 'className' },
          { title: t('no'), dataIndex: 'studentNo' },
          { title: t('name'), dataIndex: 'name' },
          { title: t('docs'), dataIndex: 'documents', align: 'right' },
          { title: t('charged'), align: 'right', render: (_, x) => formatMoney(x.chargedFen) },
          { title: t('waived'), align: 'right', render: (_, x) => (x.waivedFen ? formatMoney(x.waivedFen) : '—') },
          { title: t('credited'), align: 'right', render: (_, x) => (x.creditedFen ? formatMoney(x.creditedFen) : '—') },
          { title: t('paid'), align: 'right', render: (_, x) => formatMoney(x.paidFen) },
          {
            title: t('due'),
            align: 'right',
            render: (_, x) => <Tag color={x.dueFen > 0 ? 'orange' : 'green'}>{formatMoney(x.dueFen)}</Tag>,
          },
        ]}
      />
    </Space>
  );
}
