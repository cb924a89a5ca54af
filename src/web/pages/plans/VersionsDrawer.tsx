/** The plan's versions: what was submitted, returned with which comment, filed and published, and when. */
import { Drawer, Table, Tag, Typography } from 'antd';
import { formatDateTime, useT } from '../../i18n';
import { dict } from './dict';
import { useLabel } from './labels';
import { STATUS_COLORS, type VersionHead } from './types';

export function VersionsDrawer({ open, versions, onClose }: { open: boolean; versions: VersionHead[]; onClose(): void }) {
  const t = useT(dict);
  const label = useLabel();
  const when = (v: string | null) => (v ? formatDateTime(v) : '—');
  return (
    <Drawer open={open} onClose={onClose} title={t('history')} size={760}>
      <Table<VersionHead>
        rowKey="version"
        size="small"
        pagination={false}
        dataSource={versions}
        locale={{ emptyText: t('noVersions') }}
        columns={[
          { title: t('versionCol'), dataIndex: 'version', width: 80, render: (n: number) => t('version', { n }) },
          {
            title: t('versionStatus'),
            dataIndex: 'status',
            width: 110,
            render: (s: VersionHead['status']) => <Tag color={STATUS_COLORS[s]}>{label('status', s)}</Tag>,
          },
          { title: t('submittedAt'), dataIndex: 'submittedAt', width: 136, render: when },
          { title: t('reviewedAt'), dataIndex: 'reviewedAt', width: 136, render: when },
          { title: t('publishedAt'), dataIndex: 'publishedAt', width: 136, render: when },
          {
            title: t('comment'),
            dataIndex: 'reviewComment',
            render: (c: string) => c || <Typography.Text type="secondary">—</Typography.Text>,
          },
        ]}
      />
    </Drawer>
  );
}
