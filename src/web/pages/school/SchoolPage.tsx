/** 学校与校区: the school's own record (GET/PATCH /api/school) and its campuses with their sizes. */
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { accessOf } from '../../access';
import { get } from '../../api';
import { useMe } from '../../auth';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { useT } from '../../i18n';
import { dict } from './dict';
import { type Campus, type School, useCampuses, useClasses } from './roster';
import { CampusModal, SchoolModal } from './SchoolForms';

interface CampusRow extends Campus {
  classes: number;
  pupils: number;
}

export default function SchoolPage() {
  const t = useT(dict);
  const access = accessOf(useMe().data);
  const canEditSchool = access.has('school.write');
  const canEditCampus = access.school;
  const school = useQuery({ queryKey: ['school'], queryFn: () => get<School>('/school') });
  const campuses = useCampuses();
  const classes = useClasses();
  const [editingSchool, setEditingSchool] = useState(false);
  const [editingCampus, setEditingCampus] = useState<Campus | null | undefined>(undefined);

  const rows = useMemo<CampusRow[]>(
    () =>
      (campuses.data ?? []).map((c) => {
        const mine = (classes.data ?? []).filter((k) => k.campusId === c.id);
        return { ...c, classes: mine.length, pupils: mine.reduce((n, k) => n + k.studentCount, 0) };
      }),
    [campuses.data, classes.data],
  );

  const notFilled = <Typography.Text type="secondary">{t('notFilled')}</Typography.Text>;
  const columns: TableColumnsType<CampusRow> = [
    { title: t('campusName'), dataIndex: 'name', render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
    { title: t('address'), dataIndex: 'address', render: (a: string) => a || notFilled },
    {
      title: t('classes'),
      dataIndex: 'classes',
      align: 'right',
      width: 100,
      render: (n: number) => (classes.isLoading ? '…' : <Link to="/office/classes">{n}</Link>),
    },
    { title: t('pupils'), dataIndex: 'pupils', align: 'right', width: 110, render: (n: number) => (classes.isLoading ? '…' : n) },
    ...(canEditCampus
      ? [
          {
            title: t('actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, c: CampusRow) => (
              <Button
                size="small"
                type="link"
                icon={<EditOutlined />}
                onClick={() => setEditingCampus(c)}
                aria-label={`${t('edit')} ${c.name}`}
              >
                {t('edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const s = school.data;
  return (
    <>
      <Card
        title={t('title')}
        style={{ marginBottom: 16 }}
        extra={
          s &&
          canEditSchool && (
            <Button icon={<EditOutlined />} onClick={() => setEditingSchool(true)}>
              {t('edit')}
            </Button>
          )
        }
      >
        {school.isLoading ? (
          <Loading rows={3} />
        ) : school.error ? (
          <ErrorState error={school.error} onRetry={() => school.refetch()} />
        ) : (
          s && (
            <>
              <Descriptions
                column={2}
                items={[
                  { key: 'name', label: t('name'), children: <Typography.Text strong>{s.name}</Typography.Text> },
                  { key: 'code', label: t('code'), children: s.code },
                  { key: 'address', label: t('address'), children: s.address || notFilled },
                  { key: 'phone', label: t('phone'), children: s.phone || notFilled },
                  {
                    key: 'remote',
                    label: t('remote'),
                    children: s.remote ? <Tag color="gold">{t('remoteYes')}</Tag> : <Tag>{t('remoteNo')}</Tag>,
                  },
                ]}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('districtManaged')}
              </Typography.Text>
            </>
          )
        )}
      </Card>

      <Card
        title={t('campuses')}
        extra={
          canEditCampus && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditingCampus(null)}>
              {t('addCampus')}
            </Button>
          )
        }
      >
        {campuses.isLoading ? (
          <Loading rows={3} />
        ) : campuses.error ? (
          <ErrorState error={campuses.error} onRetry={() => campuses.refetch()} />
        ) : (
          <Table<CampusRow>
            rowKey="id"
            columns={columns}
            dataSource={rows}
            pagination={false}
            locale={{
              emptyText: (
                <EmptyState
                  description={t('noCampuses')}
                  action={
                    canEditCampus && (
                      <Button type="primary" onClick={() => setEditingCampus(null)}>
                        {t('addCampus')}
                      </Button>
                    )
                  }
                />
              ),
            }}
          />
        )}
      </Card>

      {s && canEditSchool && <SchoolModal open={editingSchool} school={s} onClose={() => setEditingSchool(false)} />}
      {canEditCampus && (
        <CampusModal open={editingCampus !== undefined} campus={editingCampus} onClose={() => setEditingCampus(undefined)} />
      )}
    </>
  );
}
