/**
 * 行政班: the school's homeroom classes grouped by campus and grade, with pupil counts and the
 * homeroom teacher. A class opens the pupils page filtered to it; the office adds and edits classes.
 */
import { DownloadOutlined, EditOutlined, PlusOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Tag, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { GRADE_LABELS } from '../../../shared/roster';
import { accessOf } from '../../access';
import { useMe } from '../../auth';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { useT } from '../../i18n';
import { download } from '../../api';
import { type ClassRow, errorText, useCampuses, useClasses } from '../school/roster';
import { ClassForm } from './ClassForm';
import { dict } from './dict';

interface CampusGroup {
  id: string;
  name: string;
  pupils: number;
  grades: { grade: number; pupils: number; classes: ClassRow[] }[];
}

function group(classes: ClassRow[], campusNames: Map<string, string>): CampusGroup[] {
  const byCampus = new Map<string, CampusGroup>();
  for (const c of classes) {
    let g = byCampus.get(c.campusId);
    if (!g) {
      g = { id: c.campusId, name: c.campusName ?? campusNames.get(c.campusId) ?? '', pupils: 0, grades: [] };
      byCampus.set(c.campusId, g);
    }
    let gr = g.grades.find((x) => x.grade === c.grade);
    if (!gr) {
      gr = { grade: c.grade, pupils: 0, classes: [] };
      g.grades.push(gr);
    }
    gr.classes.push(c);
    gr.pupils += c.studentCount;
    g.pupils += c.studentCount;
  }
  const groups = [...byCampus.values()];
  for (const g of groups) {
    g.grades.sort((a, b) => a.grade - b.grade);
    for (const gr of g.grades) gr.classes.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true }));
  }
  return groups;
}

function ClassTile({ c, onOpen, onEdit, t }: { c: ClassRow; onOpen(): void; onEdit?: () => void; t: ReturnType<typeof useT> }) {
  return (
    <Card
      size="small"
      hoverable
      role="link"
      tabIndex={0}
      aria-label={t('open', { name: c.name })}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen();
      }}
      style={{ width: 180 }}
      styles={{ body: { padding: '10px 12px' } }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography.Text strong style={{ fontSize: 15 }}>
          {c.name}
        </Typography.Text>
        {onEdit && (
          <Button
            size="small"
            type="text"
            icon={<EditOutlined />}
            aria-label={`${t('edit')} ${c.name}`}
            onClick={(e) => {
              e.stopPropagation();
              onEdit();
            }}
          />
        )}
      </div>
      <div style={{ color: 'rgba(0,0,0,0.6)', fontSize: 13, marginTop: 4 }}>
        <TeamOutlined /> {t('pupils', { n: c.studentCount })}
      </div>
      <div style={{ color: c.homeroomName ? 'rgba(0,0,0,0.6)' : '#d46b08', fontSize: 13, marginTop: 2 }}>
        <UserOutlined /> {c.homeroomName ?? t('noHomeroom')}
      </div>
    </Card>
  );
}

export default function ClassesPage() {
  const t = useT(dict);
  const access = accessOf(useMe().data);
  const canWrite = access.has('class.write');
  const navigate = useNavigate();
  const classes = useClasses();
  const campuses = useCampuses();
  const [editing, setEditing] = useState<ClassRow | null | undefined>(undefined); // undefined: closed, null: new
  const [exporting, setExporting] = useState(false);
  const { message } = App.useApp();

  const doExport = async () => {
    setExporting(true);
    try {
      await download('/roster/export/classes.xlsx', '行政班.xlsx');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };

  const groups = useMemo(
    () => group(classes.data ?? [], new Map((campuses.data ?? []).map((c) => [c.id, c.name]))),
    [classes.data, campuses.data],
  );
  const totalPupils = groups.reduce((n, g) => n + g.pupils, 0);

  const header = (
    <Card
      title={t('title')}
      extra={
        <Space>
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={doExport} disabled={!classes.data?.length}>
            {t('export')}
          </Button>
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} disabled={campuses.data?.length === 0}>
              {t('addClass')}
            </Button>
          )}
        </Space>
      }
      style={{ marginBottom: 16 }}
    >
      {classes.data && (
        <Typography.Text type="secondary">{t('summary', { c: groups.length, k: classes.data.length, n: totalPupils })}</Typography.Text>
      )}
    </Card>
  );

  let body: ReactNode;
  if (classes.isLoading) body = <Loading rows={10} />;
  else if (classes.error) body = <ErrorState error={classes.error} onRetry={() => classes.refetch()} />;
  else if (groups.length === 0)
    body = (
      <Card>
        <EmptyState
          description={campuses.data?.length === 0 ? t('noCampus') : t('empty')}
          action={
            <Space>
              {campuses.data?.length === 0 && access.school && (
                <Link to="/office/school">
                  <Button type="primary">{t('goSchool')}</Button>
                </Link>
              )}
              {campuses.data?.length !== 0 && canWrite && (
                <Button type="primary" onClick={() => setEditing(null)}>
                  {t('addClass')}
                </Button>
              )}
              {access.import && (
                <Link to="/office/import">
                  <Button>{t('goImport')}</Button>
                </Link>
              )}
            </Space>
          }
        />
      </Card>
    );
  else
    body = groups.map((g) => (
      <Card
        key={g.id}
        title={g.name}
        extra={
          <Space size={4}>
            <Tag>{t('classes', { n: g.grades.reduce((n, x) => n + x.classes.length, 0) })}</Tag>
            <Tag color="blue">{t('pupils', { n: g.pupils })}</Tag>
          </Space>
        }
        style={{ marginBottom: 16 }}
      >
        {g.grades.map((gr) => (
          <div key={gr.grade} style={{ display: 'flex', gap: 16, padding: '12px 0', borderBottom: '1px solid #f5f5f5' }}>
            <div style={{ width: 96, flex: 'none', paddingTop: 8 }}>
              <Typography.Text strong>{GRADE_LABELS[gr.grade]}</Typography.Text>
              <div style={{ color: 'rgba(0,0,0,0.45)', fontSize: 12 }}>{t('pupils', { n: gr.pupils })}</div>
            </div>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
              {gr.classes.map((c) => (
                <ClassTile
                  key={c.id}
                  c={c}
                  t={t}
                  onOpen={() => navigate(`/office/students?classId=${c.id}`)}
                  onEdit={canWrite ? () => setEditing(c) : undefined}
                />
              ))}
            </div>
          </div>
        ))}
      </Card>
    ));

  return (
    <>
      {header}
      {body}
      {canWrite && (
        <ClassForm open={editing !== undefined} cls={editing} canSeeStaff={access.staff} onClose={() => setEditing(undefined)} />
      )}
    </>
  );
}
