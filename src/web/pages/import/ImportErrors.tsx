/** The problems found in an import file, as a table: Excel row, column, what is wrong. */
import { Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useT } from '../../i18n';
import { dict } from './dict';
import type { ImportError } from './upload';

export function ImportErrors({ errors }: { errors: ImportError[] }) {
  const t = useT(dict);
  const columns: TableColumnsType<ImportError & { key: number }> = [
    { title: t('row'), dataIndex: 'row', width: 80, render: (r: number) => (r > 0 ? r : '—') },
    { title: t('column'), dataIndex: 'column', width: 160, render: (c: string) => c || '—' },
    { title: t('problem'), dataIndex: 'message', render: (m: string) => <Typography.Text type="danger">{m}</Typography.Text> },
  ];
  return (
    <Table
      size="small"
      bordered
      columns={columns}
      dataSource={errors.map((e, i) => ({ ...e, key: i }))}
      pagination={errors.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      aria-label={t('invalidTitle')}
    />
  );
}
