/**
 * 学生名册: the pupils of the school (as far as the actor may see them), searched and filtered by
 * campus → grade → class, paged by the server. The filters live in the URL (?classId=… from the
 * classes page, and the back button works). A row opens the pupil's file in a drawer.
 */
import { DownloadOutlined, PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Input, Popover, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { GRADE_LABELS } from '../../../shared/roster';
import { accessOf } from '../../access';
import { download, get, type Page, qs } from '../../api';
import { useMe } from '../../auth';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { useT } from '../../i18n';
import { errorText, useCampuses, useClasses } from '../school/roster';
import { dict, type StudentRow } from './dict';
import { StudentDrawer } from './StudentDrawer';
import { StudentForm } from './StudentForm';

const COLUMN_KEYS = ['studentNo', 'name', 'gender', 'grade', 'class', 'campus', 'status'] as const;
type ColumnKey = (typeof COLUMN_KEYS)[number];
const HIDDEN_KEY = 'kehou.students.hiddenColumns';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function loadHidden(): ColumnKey[] {
  try {
    const v = JSON.parse(localStorage.getItem(HIDDEN_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((k): k is ColumnKey => (COLUMN_KEYS as readonly string[]).includes(k)) : [];
  } catch {
    return [];
  }
}

export default function StudentsPage() {
  const t = useT(dict);
  const { message } = App.useApp();
  const access = accessOf(useMe().data);
  const [params, setParams] = useSearchParams();
  const [openId, setOpenId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [hidden, setHidden] = useState<ColumnKey[]>(loadHidden);

  const campuses = useCampuses();
  const classes = useClasses();
  // A link may carry an id that no longer exists (or was mistyped): such a filter is dropped, not sent.
  const known = (raw: string | null, list: { id: string }[] | undefined) =>
    raw && UUID.test(raw) && (!list || list.some((x) => x.id === raw)) ? raw : undefined;
  const q = params.get('q') ?? '';
  const campusId = known(params.get('campusId'), campuses.data);
  const classId = known(params.get('classId'), classes.data);
  const gradeParam = Number(params.get('grade'));
  const grade = gradeParam >= 1 && gradeParam <= 6 ? gradeParam : undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = [10, 20, 50, 100].includes(Number(params.get('pageSize'))) ? Number(params.get('pageSize')) : 20;
  const includeInactive = params.get('inactive') === '1';
  const filtered = !!(q || campusId || grade || classId || includeInactive);
  const [search, setSearch] = useState(q);

  /** Changes some parameters; any filter change goes back to page 1. */
  const update = (next: Record<string, string | number | undefined>, keepPage = false) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === '') p.delete(k);
      else p.set(k, String(v));
    }
    if (!keepPage) p.delete('page');
    setParams(p, { replace: false });
  };

  const classOptions = useMemo(
    () =>
      (classes.data ?? [])
        .filter((c) => (!campusId || c.campusId === campusId) && (!grade || c.grade === grade))
        .map((c) => ({ value: c.id, label: campusId ? `${GRADE_LABELS[c.grade]} · ${c.name}` : `${c.campusName} · ${c.name}` })),
    [classes.data, campusId, grade],
  );

  const filters = { q: q || undefined, campusId, grade, classId };
  const list = useQuery({
    queryKey: ['students', { ...filters, page, pageSize, includeInactive }],
    queryFn: () => get<Page<StudentRow>>(`/students${qs({ ...filters, page, pageSize, includeInactive: includeInactive || undefined })}`),
    placeholderData: keepPreviousData,
  });

  const doExport = async () => {
    setExporting(true);
    try {
      await download(`/roster/export/students.xlsx${qs(filters)}`, '学生名册.xlsx');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };

  const allColumns: (TableColumnsType<StudentRow>[number] & { key: ColumnKey })[] = [
    { key: 'studentNo', title: t('studentNo'), dataIndex: 'studentNo', width: 140 },
    {
      key: 'name',
      title: t('name'),
      dataIndex: 'name',
      render: (name: string, r) => (
        <Typography.Link
          onClick={(e) => {
            e.stopPropagation();
            setOpenId(r.id);
          }}
        >
          {name}
        </Typography.Link>
      ),
    },
    { key: 'gender', title: t('gender'), dataIndex: 'gender', width: 80 },
    { key: 'grade', title: t('grade'), dataIndex: 'grade', width: 100, render: (g: number) => GRADE_LABELS[g] },
    { key: 'class', title: t('class'), dataIndex: 'className' },
    { key: 'campus', title: t('campus'), dataIndex: 'campusName' },
    {
      key: 'status',
      title: t('status'),
      dataIndex: 'active',
      width: 90,
      render: (a: boolean) => (a ? <Tag color="green">{t('active')}</Tag> : <Tag>{t('inactive')}</Tag>),
    },
  ];
  const columns = allColumns.filter((c) => !hidden.includes(c.key));

  const columnSettings = (
    <Checkbox.Group
      style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
      value={COLUMN_KEYS.filter((k) => !hidden.includes(k))}
      onChange={(shown) => {
        const h = COLUMN_KEYS.filter((k) => !shown.includes(k));
        setHidden(h);
        localStorage.setItem(HIDDEN_KEY, JSON.stringify(h));
      }}
      options={allColumns.map((c) => ({ value: c.key, label: c.title as string, disabled: c.key === 'name' }))}
    />
  );

  const empty = filtered ? (
    <EmptyState
      description={t('emptyFiltered')}
      action={
        <Button
          onClick={() => {
            setSearch('');
            setParams(new URLSearchParams());
          }}
        >
          {t('clearFilters')}
        </Button>
      }
    />
  ) : (
    <EmptyState
      description={t('emptyNone')}
      action={
        <Space>
          {access.import && (
            <Link to="/office/import">
              <Button type="primary">{t('goImport')}</Button>
            </Link>
          )}
          {access.office && <Button onClick={() => setAdding(true)}>{t('addStudent')}</Button>}
        </Space>
      }
    />
  );

  return (
    <Card
      title={t('title')}
      extra={
        <Space>
          {access.export && (
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={doExport}>
              {t('export')}
            </Button>
          )}
          {access.office && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              {t('addStudent')}
            </Button>
          )}
        </Space>
      }
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, marginBottom: 16, alignItems: 'center' }}>
        <Input.Search
          aria-label={t('searchPlaceholder')}
          placeholder={t('searchPlaceholder')}
          allowClear
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            if (!e.target.value && q) update({ q: undefined });
          }}
          onSearch={(v) => update({ q: v.trim() || undefined })}
          style={{ width: 240 }}
        />
        <Select
          aria-label={t('campus')}
          placeholder={t('allCampuses')}
          allowClear
          value={campusId}
          onChange={(v) => update({ campusId: v, classId: undefined })}
          options={(campuses.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          style={{ width: 160 }}
        />
        <Select
          aria-label={t('grade')}
          placeholder={t('allGrades')}
          allowClear
          value={grade}
          onChange={(v) => update({ grade: v, classId: undefined })}
          options={[1, 2, 3, 4, 5, 6].map((g) => ({ value: g, label: GRADE_LABELS[g] }))}
          style={{ width: 120 }}
        />
        <Select
          aria-label={t('class')}
          placeholder={t('allClasses')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={classes.data ? classId : undefined}
          onChange={(v) => update({ classId: v })}
          options={classOptions}
          style={{ width: 200 }}
        />
        <Space size={6}>
          <Switch
            size="small"
            checked={includeInactive}
            onChange={(v) => update({ inactive: v ? 1 : undefined })}
            aria-label={t('showInactive')}
          />
          <Typography.Text>{t('showInactive')}</Typography.Text>
        </Space>
        <div style={{ flex: 1 }} />
        <Popover content={columnSettings} title={t('columns')} trigger="click" placement="bottomRight">
          <Button icon={<SettingOutlined />} aria-label={t('columns')} />
        </Popover>
      </div>

      {list.isLoading ? (
        <Loading rows={8} />
      ) : list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <Table<StudentRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching && !list.isLoading}
          locale={{ emptyText: empty }}
          onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer', opacity: r.active ? 1 : 0.6 } })}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (n) => t('total', { n }),
            onChange: (p, s) => update({ page: p, pageSize: s === 20 ? undefined : s }, s === pageSize),
          }}
        />
      )}
      {list.error && list.data && <Typography.Text type="danger">{errorText(list.error)}</Typography.Text>}

      <StudentDrawer id={openId} onClose={() => setOpenId(null)} />
      {access.office && (
        <StudentForm
          open={adding}
          defaultClassId={classId}
          onClose={() => setAdding(false)}
          onSaved={(s) => {
            setAdding(false);
            setOpenId(s.id);
          }}
        />
      )}
    </Card>
  );
}
