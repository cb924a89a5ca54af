/** A pupil's statement for the term (bills, supplements, credit notes, totals), printable on A4. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Skeleton, Space, Table, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import { get } from '../../api';
import { type Dict, formatDateTime, formatMoney, useT } from '../../i18n';
import './print.css';

interface Line {
  idx: number;
  kind: string;
  description: string;
  quantity: number;
  unitFen: number;
  amountFen: number;
}
interface Doc {
  id: string;
  number: string;
  docType: 'invoice' | 'supplement' | 'credit_note';
  periodKey: string;
  totalFen: number;
  dueDate: string | null;
  issuedAt: string;
  lines: Line[];
}
interface Statement {
  school: { name: string };
  term: { name: string };
  student: { name: string; studentNo: string; className: string };
  invoices: Doc[];
  totals: { chargedFen: number; waivedFen: number; creditedFen: number; paidFen: number; refundedFen: number; dueFen: number };
}

const dict: Dict = {
  zh: {
    title: '课后服务费用明细',
    print: '打印',
    back: '返回',
    invoice: '账单',
    supplement: '补缴单',
    credit_note: '退费单',
    term: '学期',
    period: '整学期',
    pupil: '学生',
    class: '班级',
    item: '项目',
    qty: '数量',
    unit: '单价',
    amount: '金额',
    due: '缴费期限 {d}',
    charged: '应收合计',
    waived: '减免',
    credited: '请假/停课退费',
    paid: '已缴',
    refunded: '已退款',
    balance: '尚欠',
    none: '本学期没有费用单据',
    note: '收费依据本学期已公示的服务方案。如有疑问请联系学校管理办公室。',
  },
  en: {
    title: 'After-school fees statement',
    print: 'Print',
    back: 'Back',
    invoice: 'Bill',
    supplement: 'Supplement',
    credit_note: 'Credit note',
    term: 'Term',
    period: 'Whole term',
    pupil: 'Pupil',
    class: 'Class',
    item: 'Item',
    qty: 'Qty',
    unit: 'Unit',
    amount: 'Amount',
    due: 'Due {d}',
    charged: 'Charged',
    waived: 'Waived',
    credited: 'Leave / no-service credits',
    paid: 'Paid',
    refunded: 'Refunded',
    balance: 'Balance due',
    none: 'No documents this term',
    note: 'Fees follow the term’s published service plan. Questions: the school office.',
  },
};

export default function StatementPage() {
  const t = useT(dict);
  const { termId, studentId } = useParams();
  const s = useQuery({
    queryKey: ['billing-statement', termId, studentId],
    queryFn: () => get<Statement>(`/billing/terms/${termId}/students/${studentId}`),
  });
  if (s.isLoading) return <Skeleton active />;
  if (s.error || !s.data) return <Alert type="error" showIcon message={(s.error as Error)?.message ?? ''} />;
  const d = s.data;
  return (
    <div className="billing-a4">
      <Space className="no-print" style={{ marginBottom: 16 }}>
        <Button onClick={() => history.back()}>{t('back')}</Button>
        <Button type="primary" onClick={() => window.print()}>
          {t('print')}
        </Button>
      </Space>
      <Typography.Title level={3} style={{ textAlign: 'center' }}>
        {d.school.name} {t('title')}
      </Typography.Title>
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label={t('term')}>{d.term.name}</Descriptions.Item>
        <Descriptions.Item label={t('pupil')}>
          {d.student.name}（{d.student.studentNo}）
        </Descriptions.Item>
        <Descriptions.Item label={t('class')}>{d.student.className}</Descriptions.Item>
      </Descriptions>
      {d.invoices.length === 0 && <Alert style={{ marginTop: 16 }} type="info" message={t('none')} />}
      {d.invoices.map((doc) => (
        <div key={doc.id} className="billing-doc">
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t(doc.docType)} {doc.number} · {doc.periodKey === 'term' ? t('period') : doc.periodKey} · {formatDateTime(doc.issuedAt)}
            {doc.dueDate ? ` · ${t('due', { d: doc.dueDate })}` : ''}
          </Typography.Title>
          <Table<Line>
            size="small"
            rowKey="idx"
            pagination={false}
            dataSource={doc.lines}
            columns={[
              { title: t('item'), dataIndex: 'description' },
              { title: t('qty'), dataIndex: 'quantity', align: 'right', width: 70 },
              { title: t('unit'), align: 'right', width: 110, render: (_, l) => formatMoney(l.unitFen) },
              { title: t('amount'), align: 'right', width: 120, render: (_, l) => formatMoney(l.amountFen) },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={3} align="right">
                  <b>{t('amount')}</b>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  <b>{formatMoney(doc.totalFen)}</b>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
        </div>
      ))}
      <Descriptions style={{ marginTop: 24 }} size="small" column={3} bordered>
        <Descriptions.Item label={t('charged')}>{formatMoney(d.totals.chargedFen)}</Descriptions.Item>
        <Descriptions.Item label={t('waived')}>{formatMoney(d.totals.waivedFen)}</Descriptions.Item>
        <Descriptions.Item label={t('credited')}>{formatMoney(d.totals.creditedFen)}</Descriptions.Item>
        <Descriptions.Item label={t('paid')}>{formatMoney(d.totals.paidFen)}</Descriptions.Item>
        <Descriptions.Item label={t('refunded')}>{formatMoney(d.totals.refundedFen)}</Descriptions.Item>
        <Descriptions.Item label={t('balance')}>
          <b>{formatMoney(d.totals.dueFen)}</b>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
        {t('note')}
      </Typography.Paragraph>
    </div>
  );
}
