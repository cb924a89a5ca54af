/** Reconciliation: import a bank or campus-card statement, see what matched and what is missing on each side. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Row, Select, Space, Table, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, download, get, qs } from '../../api';
import { ErrorState } from '../../components/PageState';
import { useT } from '../../i18n';
import { dict } from './dict';
import { yuan } from './money';

interface Line {
  id: string;
  occurredOn: string;
  amountFen: number;
  reference: string;
  payer: string;
  receiptNo: string | null;
  studentName: string | null;
}
interface OpenPayment {
  id: string;
  receiptNo: string;
  amountFen: number;
  externalRef: string | null;
  day: string;
  studentName: string;
}
interface Result {
  matched: Line[];
  unmatchedLines: Line[];
  unmatchedPayments: OpenPayment[];
}

export function ReconcileTab() {
  const t = useT(dict);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [source, setSource] = useState<'bank' | 'campus_card'>('bank');
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(30, 'day'), dayjs()]);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const result = useQuery({
    queryKey: ['payments', 'reconciliation', source, from, to],
    queryFn: () => get<Result>(`/payments/reconciliation${qs({ source, from, to })}`),
  });
  const upload = useMutation({
    mutationFn: (file: File) =>
      api<{ lines: number; matched: number }>('POST', `/payments/statements/import${qs({ source })}`, file, {
        headers: { 'content-type': 'application/octet-stream' },
      }),
    onSuccess: (r) => {
      message.success(t('imported', { n: r.lines, m: r.matched }));
      qc.invalidateQueries({ queryKey: ['payments', 'reconciliation'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const lineColumns = [
    { title: t('date'), dataIndex: 'occurredOn' },
    { title: t('amount'), dataIndex: 'amountFen', align: 'right' as const, render: (v: number) => yuan(v) },
    { title: t('ref'), dataIndex: 'reference' },
    { title: t('payer'), dataIndex: 'payer' },
  ];
  return (
    <div>
      <Alert type="info" showIcon message={t('reconcileHint')} style={{ marginBottom: 16 }} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('source')}
          value={source}
          onChange={setSource}
          style={{ width: 140 }}
          options={[
            { value: 'bank', label: t('bank') },
            { value: 'campus_card', label: t('campus_card') },
          ]}
        />
        <DatePicker.RangePicker
          aria-label={t('range')}
          value={range}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          allowClear={false}
        />
        <Upload
          accept=".xlsx"
          showUploadList={false}
          beforeUpload={(file) => {
            upload.mutate(file);
            return false;
          }}
        >
          <Button type="primary" loading={upload.isPending}>
            {t('upload')}
          </Button>
        </Upload>
        <Button
          onClick={() =>
            download('/payments/statements/template.xlsx', 'statement-template.xlsx').catch((e: Error) => message.error(e.message))
          }
        >
          {t('template')}
        </Button>
      </Space>
      {result.error && <ErrorState error={result.error} onRetry={() => result.refetch()} />}
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card size="small" title={`${t('unmatchedLines')} (${result.data?.unmatchedLines.length ?? 0})`} style={{ marginBottom: 16 }}>
            <Table
              rowKey="id"
              size="small"
              loading={result.isLoading}
              dataSource={result.data?.unmatchedLines}
              columns={lineColumns}
              pagination={false}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={`${t('unmatchedPayments')} (${result.data?.unmatchedPayments.length ?? 0})`}
            style={{ marginBottom: 16 }}
          >
            <Table
              rowKey="id"
              size="small"
              loading={result.isLoading}
              dataSource={result.data?.unmatchedPayments}
              pagination={false}
              columns={[
                { title: t('date'), dataIndex: 'day' },
                { title: t('receiptNo'), dataIndex: 'receiptNo' },
                { title: t('student'), dataIndex: 'studentName' },
                { title: t('amount'), dataIndex: 'amountFen', align: 'right' as const, render: (v: number) => yuan(v) },
                { title: t('ref'), dataIndex: 'externalRef' },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={`${t('matched')} (${result.data?.matched.length ?? 0})`}>
        <Table
          rowKey="id"
          size="small"
          loading={result.isLoading}
          dataSource={result.data?.matched}
          columns={[...lineColumns, { title: t('receiptNo'), dataIndex: 'receiptNo' }, { title: t('student'), dataIndex: 'studentName' }]}
        />
      </Card>
    </div>
  );
}
