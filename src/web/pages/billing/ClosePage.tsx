/**
 * 结账: the term's reconciliation from the ledger (per account, per class, per pupil; the ledger's
 * own sum is 0 and the guardians' receivable equals the pupils' balances), its .xlsx, and closing
 * the term, after which its books are read-only.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Popconfirm, Space, Table, Tabs, Tag, Typography } from 'antd';
import { download, post } from '../../api';
import { get } from '../../api';
import { type Dict, formatDateTime, formatMoney, useT } from '../../i18n';
import { useLabel, useTermPicker } from './common';

interface Money {
  chargedFen: number;
  waivedFen: number;
  creditedFen: number;
  paidFen: number;
  refundedFen: number;
  dueFen: number;
}
interface Rec {
  term: { id: string; name: string };
  closed: { closedAt: string } | null;
  accounts: { code: string; zh: string; en: string; balanceFen: number }[];
  classes: (Money & { className: string; pupils: number })[];
  pupils: (Money & { studentId: string; name: string; studentNo: string; className: string })[];
  checks: { imbalanceFen: number; receivableFen: number; pupilsDueFen: number; reconciled: boolean };
}

const dict: Dict = {
  zh: {
    title: '结账',
    reconciled: '账目平衡：借贷相抵为 0，应收家长款 = 各学生欠费之和',
    unbalanced: '账目不平，请联系技术支持：差 {d} 分',
    closedAt: '已于 {t} 结账，账目只读',
    close: '结账（本学期账目只读）',
    confirm: '结账后本学期不能再开票、收费、退费或减免。确定结账？',
    closedOk: '已结账',
    export: '导出对账表 (.xlsx)',
    accounts: '按科目',
    classes: '按班级',
    pupils: '按学生',
    account: '科目',
    balance: '余额',
    class: '班级',
    count: '人数',
    name: '姓名',
    no: '学号',
    charged: '应收',
    waived: '减免',
    credited: '退费',
    paid: '已缴',
    refunded: '已退款',
    due: '欠费',
    total: '合计',
  },
  en: {
    title: 'Term close',
    reconciled: 'Books balance: the ledger sums to 0 and guardians’ receivable equals the pupils’ balances',
    unbalanced: 'Books do not balance: off by {d} fen',
    closedAt: 'Closed on {t}: read-only',
    close: 'Close the term (read-only afterwards)',
    confirm: 'After closing, nothing can be billed, paid, refunded or waived on this term. Close it?',
    closedOk: 'Closed',
    export: 'Export reconciliation (.xlsx)',
    accounts: 'By account',
    classes: 'By class',
    pupils: 'By pupil',
    account: 'Account',
    balance: 'Balance',
    class: 'Class',
    count: 'Pupils',
    name: 'Name',
    no: 'No.',
    charged: 'Charged',
    waived: 'Waived',
    credited: 'Credited',
    paid: 'Paid',
    refunded: 'Refunded',
    due: 'Due',
    total: 'Total',
  },
};

export default function ClosePage() {
  const t = useT(dict);
  const label = useLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { termId, picker } = useTermPicker();
  const rec = useQuery({
    queryKey: ['billing-rec', termId],
    enabled: !!termId,
    queryFn: () => get<Rec>(`/billing/terms/${termId}/reconciliation`),
  });
  const close = useMutation({
    mutationFn: () => post(`/billing/terms/${termId}/close`, { confirm: true }),
    onSuccess: () => {
      message.success(t('closedOk'));
      void qc.invalidateQueries({ queryKey: ['billing-rec'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const r = rec.data;
  const moneyCols = (['chargedFen', 'waivedFen', 'creditedFen', 'paidFen', 'refundedFen', 'dueFen'] as const).map((k) => ({
    title: t(k.replace('Fen', '')),
    align: 'right' as const,
    render: (_: unknown, x: Money) => formatMoney(x[k]),
  }));
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        {picker}
        <Button
          disabled={!r}
          onClick={() =>
            download(`/billing/terms/${termId}/reconciliation.xlsx`, 'reconciliation.xlsx').catch((e: Error) => message.error(e.message))
          }
        >
          {t('export')}
        </Button>
        {r && !r.closed && (
          <Popconfirm title={t('confirm')} onConfirm={() => close.mutate()}>
            <Button danger type="primary" loading={close.isPending} disabled={!r.checks.reconciled}>
              {t('close')}
            </Button>
          </Popconfirm>
        )}
      </Space>
      {rec.error && <Alert type="error" showIcon message={(rec.error as Error).message} />}
      {r &&
        (r.checks.reconciled ? (
          <Alert type="success" showIcon message={t('reconciled')} />
        ) : (
          <Alert type="error" showIcon message={t('unbalanced', { d: r.checks.imbalanceFen })} />
        ))}
      {r?.closed && <Tag color="red">{t('closedAt', { t: formatDateTime(r.closed.closedAt) })}</Tag>}
      <Tabs
        items={[
          {
            key: 'accounts',
            label: t('accounts'),
            children: (
              <Table
                rowKey="code"
                size="small"
                loading={rec.isLoading}
                pagination={false}
                dataSource={r?.accounts ?? []}
                columns={[
                  { title: t('account'), render: (_, a) => `${label(a)}（${a.code}）` },
                  { title: t('balance'), align: 'right', render: (_, a) => formatMoney(a.balanceFen) },
                ]}
                summary={() => (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>
                      <b>{t('total')}</b>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      <b>{formatMoney(r?.checks.imbalanceFen ?? 0)}</b>
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                )}
              />
            ),
          },
          {
            key: 'classes',
            label: t('classes'),
            children: (
              <Table
                rowKey="className"
                size="small"
                pagination={false}
                dataSource={r?.classes ?? []}
                columns={[
                  { title: t('class'), dataIndex: 'className' },
                  { title: t('count'), dataIndex: 'pupils', align: 'right' },
                  ...moneyCols,
                ]}
              />
            ),
          },
          {
            key: 'pupils',
            label: t('pupils'),
            children: (
              <Table
                rowKey="studentId"
                size="small"
                pagination={{ pageSize: 50 }}
                dataSource={r?.pupils ?? []}
                columns={[
                  { title: t('class'), dataIndex: 'className' },
                  { title: t('no'), dataIndex: 'studentNo' },
                  { title: t('name'), dataIndex: 'name' },
                  ...moneyCols,
                ]}
              />
            ),
          },
        ]}
      />
    </Space>
  );
}
