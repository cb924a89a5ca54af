/** A pupil's file in a drawer: details, guardians, pick-up adults; the office edits it here. */
import { AuditOutlined, EditOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Drawer, Popconfirm, Space, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { GRADE_LABELS } from '../../../shared/roster';
import { accessOf } from '../../access';
import { get, patch } from '../../api';
import { useMe } from '../../auth';
import { ErrorState, Loading } from '../../components/PageState';
import { useT } from '../../i18n';
import { errorText, useClasses } from '../school/roster';
import { dict, type StudentFile, type StudentRow } from './dict';
import { StudentContacts } from './StudentContacts';
import { StudentForm } from './StudentForm';

export function StudentDrawer({ id, onClose }: { id: string | null; onClose(): void }) {
  const t = useT(dict);
  const { message } = App.useApp();
  const access = accessOf(useMe().data);
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const classes = useClasses(!!id && access.office);

  // Each fetch is one audited read of the file: no retries on 4xx, no refetch on focus.
  const file = useQuery({
    queryKey: ['student', id],
    queryFn: () => get<StudentFile>(`/students/${id}`),
    enabled: !!id,
    gcTime: 0,
  });

  /** A PATCH answers with the list row (without names of class/campus): merge it into the file. */
  const merge = (row: StudentRow, address?: string) =>
    qc.setQueryData<StudentFile>(['student', id], (old) => {
      if (!old) return old;
      const cls = classes.data?.find((c) => c.id === row.classId);
      return {
        ...old,
        ...row,
        className: cls?.name ?? (row.classId === old.classId ? old.className : null),
        campusName: cls?.campusName ?? (row.campusId === old.campusId ? old.campusName : null),
        address: old.address === null ? null : (address ?? old.address),
      };
    });

  const setActive = useMutation({
    mutationFn: (active: boolean) => patch<StudentRow>(`/students/${id}`, { active }),
    onSuccess: (row) => {
      merge(row);
      qc.invalidateQueries({ queryKey: ['students'] });
      qc.invalidateQueries({ queryKey: ['classes'] });
      message.success(row.active ? t('reactivated') : t('deactivated'));
    },
    onError: (e) => message.error(errorText(e)),
  });

  const f = file.data;
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={640}
      title={
        f ? (
          <Space size={8} wrap>
            <span>{f.name}</span>
            <Typography.Text type="secondary" style={{ fontWeight: 400 }}>
              {f.studentNo}
            </Typography.Text>
            {!f.active && <Tag color="default">{t('inactive')}</Tag>}
          </Space>
        ) : (
          t('file')
        )
      }
      extra={
        f &&
        access.office && (
          <Space>
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {t('edit')}
            </Button>
            {f.active ? (
              <Popconfirm
                title={t('deactivateConfirm')}
                onConfirm={() => setActive.mutateAsync(false)}
                okText={t('deactivate')}
                okButtonProps={{ danger: true }}
                cancelText={t('cancel')}
              >
                <Button danger icon={<StopOutlined />} loading={setActive.isPending}>
                  {t('deactivate')}
                </Button>
              </Popconfirm>
            ) : (
              <Button icon={<UndoOutlined />} loading={setActive.isPending} onClick={() => setActive.mutate(true)}>
                {t('reactivate')}
              </Button>
            )}
          </Space>
        )
      }
    >
      {file.isLoading && <Loading rows={10} />}
      {file.error && <ErrorState error={file.error} onRetry={() => file.refetch()} />}
      {f && (
        <>
          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              { key: 'no', label: t('studentNo'), children: f.studentNo },
              { key: 'gender', label: t('gender'), children: f.gender },
              { key: 'grade', label: t('grade'), children: GRADE_LABELS[f.grade] },
              { key: 'class', label: t('class'), children: f.className ?? '—' },
              { key: 'campus', label: t('campus'), children: f.campusName ?? '—', span: 2 },
              {
                key: 'address',
                label: t('address'),
                span: 2,
                children:
                  f.address === null ? (
                    <Typography.Text type="secondary">{t('addressHidden')}</Typography.Text>
                  ) : f.address ? (
                    f.address
                  ) : (
                    <Typography.Text type="secondary">{t('notFilled')}</Typography.Text>
                  ),
              },
            ]}
          />
          <StudentContacts
            file={f}
            canSeeGuardians={access.guardianContacts}
            canEditGuardians={access.has('guardian.write')}
            canEditPickups={access.has('pickup.write')}
          />
          <Alert
            type="info"
            showIcon
            icon={<AuditOutlined />}
            style={{ marginTop: 16 }}
            title={t('fileAudited')}
            action={
              access.audit && (
                <Link to={`/office/audit?entityId=${f.id}`} onClick={onClose}>
                  {t('viewAudit')}
                </Link>
              )
            }
          />
        </>
      )}
      {access.office && f && (
        <StudentForm
          open={editing}
          student={f}
          onClose={() => setEditing(false)}
          onSaved={(row, address) => {
            setEditing(false);
            merge(row, address);
          }}
        />
      )}
    </Drawer>
  );
}
