/** 本区学校: the district's schools with their size (campuses, classes, pupils, staff) and a totals row. */
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { accessOf } from '../../access';
import { get } from '../../api';
import { useMe } from '../../auth';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { useT } from '../../i18n';
import type { School } from '../school/roster';
import { dict } from './dict';
import { SchoolForm } from './SchoolForm';

interface DistrictSchool extends School {
  campuses: number;
  classes: number;
  students: number;
  staff: number;
}

const COUNTS = ['campuses', 'classes', 'students', 'staff'] as const;
const num = (n: number) => n.toLocaleString('zh-CN');

export default function DistrictSchoolsPage() {
  const t = useT(dict);
  const access = accessOf(useMe().data);
  const canCreate = access.has('school.create');
  const canEdit = access.has('school.write');
  const [editing, setEditing] = useState<School | null | undefined>(undefined);
  const district = useQuery({ queryKey: ['district'], queryFn: () => get<{ id: string; code: string; name: string }>('/district') });
  const schools = useQuery({ queryKey: ['district', 'schools'], queryFn: () => get<DistrictSchool[]>('/district/schools') });

  const countColumn = (key: (typeof COUNTS)[number], title: string) => ({
    title,
    dataIndex: key,
    align: 'right' as const,
    width: 110,
    sorter: (a: DistrictSchool, b: DistrictSchool) => a[key] - b[key],
    render: (n: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{num(n)}</span>,
  });

  const columns: TableColumnsType<DistrictSchool> = [
    {
      title: t('name'),
      dataIndex: 'name',
      render: (n: string, s) => (
        <span>
          <Typography.Text strong>{n}</Typography.Text>
          {s.remote && (
            <Tag color="gold" style={{ marginLeft: 8 }}>
              {t('remoteTag')}
            </Tag>
          )}
          {s.address && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {s.address}
              </Typography.Text>
            </div>
          )}
        </span>
      ),
    },
    { title: t('code'), dataIndex: 'code', width: 130, render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
    { title: t('phone'), dataIndex: 'phone', width: 150, render: (p: string) => p || '—' },
    countColumn('campuses', t('campuses')),
    countColumn('classes', t('classes')),
    countColumn('students', t('pupils')),
    countColumn('staff', t('staff')),
    ...(canEdit
      ? [
          {
            title: t('actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, s: DistrictSchool) => (
              <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(s)} aria-label={`${t('edit')} ${s.name}`}>
                {t('edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const rows = schools.data ?? [];
  const total = (k: (typeof COUNTS)[number]) => rows.reduce((n, s) => n + s[k], 0);

  return (
    <Card
      title={
        <span>
          {t('title')}
          {district.data && (
            <Typography.Text type="secondary" style={{ fontWeight: 400, marginLeft: 12, fontSize: 14 }}>
              {district.data.name}
            </Typography.Text>
          )}
        </span>
      }
      extra={
        canCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
            {t('addSchool')}
          </Button>
        )
      }
    >
      {schools.isLoading ? (
        <Loading rows={6} />
      ) : schools.error ? (
        <ErrorState error={schools.error} onRetry={() => schools.refetch()} />
      ) : (
        <Table<DistrictSchool>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          pagination={rows.length > 50 ? { pageSize: 50 } : false}
          locale={{
            emptyText: (
              <EmptyState
                description={t('empty')}
                action={
                  canCreate && (
                    <Button type="primary" onClick={() => setEditing(null)}>
                      {t('addSchool')}
                    </Button>
                  )
                }
              />
            ),
          }}
          summary={() =>
            rows.length > 0 && (
              <Table.Summary fixed>
                <Table.Summary.Row style={{ background: '#fafafa', fontWeight: 600 }}>
                  <Table.Summary.Cell index={0}>
                    {t('totals')}
                    <Typography.Text type="secondary" style={{ fontWeight: 400, marginLeft: 8 }}>
                      {t('schoolsCount', { n: rows.length })}
                    </Typography.Text>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={1} />
                  <Table.Summary.Cell index={2} />
                  {COUNTS.map((k, i) => (
                    <Table.Summary.Cell key={k} index={3 + i} align="right">
                      <span style={{ fontVariantNumeric: 'tabular-nums' }}>{num(total(k))}</span>
                    </Table.Summary.Cell>
                  ))}
                  {canEdit && <Table.Summary.Cell index={7} />}
                </Table.Summary.Row>
              </Table.Summary>
            )
          }
        />
      )}
      {(canCreate || canEdit) && <SchoolForm open={editing !== undefined} school={editing} onClose={() => setEditing(undefined)} />}
    </Card>
  );
}
