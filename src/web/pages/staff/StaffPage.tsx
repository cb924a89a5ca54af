/**
 * 教职工与外聘人员: everyone who may work with pupils, with their kind and vetting (POLICY N16:
 * only people cleared in the last year may serve, so an old or missing check date is flagged).
 */
import { DownloadOutlined, EditOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { App, Button, Card, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { STAFF_KIND_LABELS, STAFF_KINDS, VETTING, VETTING_LABELS } from '../../../shared/roster';
import { accessOf } from '../../access';
import { download, get, type Page, qs } from '../../api';
import { useMe } from '../../auth';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { formatDate, useLocale, useT } from '../../i18n';
import { errorText, type StaffRow, todayInShanghai } from '../school/roster';
import { dict, KIND_LABELS_EN, VETTING_COLORS, VETTING_LABELS_EN } from './dict';
import { StaffForm } from './StaffForm';

/** Why this person's vetting needs attention (N16), or null. Barred people are already marked red. */
function vettingWarning(
  s: Pick<StaffRow, 'vettingStatus' | 'vettingCheckedOn'>,
  today = todayInShanghai(),
): 'checkOld' | 'checkMissing' | null {
  if (s.vettingStatus === 'barred') return null;
  if (!s.vettingCheckedOn) return 'checkMissing';
  const yearAgo = dayjs(today).subtract(1, 'year').format('YYYY-MM-DD');
  return s.vettingCheckedOn < yearAgo ? 'checkOld' : null;
}

export default function StaffPage() {
  const t = useT(dict);
  const { locale } = useLocale();
  const en = locale === 'en';
  const { message } = App.useApp();
  const access = accessOf(useMe().data);
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<StaffRow['kind']>();
  const [vetting, setVetting] = useState<StaffRow['vettingStatus']>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [editing, setEditing] = useState<StaffRow | null | undefined>(undefined);
  const [exporting, setExporting] = useState(false);
  const filtered = !!(q || kind || vetting);

  const list = useQuery({
    queryKey: ['staff', 'page', { q, kind, vetting, page, pageSize }],
    queryFn: () => get<Page<StaffRow>>(`/staff${qs({ q: q || undefined, kind, vettingStatus: vetting, page, pageSize })}`),
    placeholderData: keepPreviousData,
  });

  const doExport = async () => {
    setExporting(true);
    try {
      await download('/roster/export/staff.xlsx', '教职工名单.xlsx');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };

  const kindLabel = (k: StaffRow['kind']) => (en ? KIND_LABELS_EN[k] : STAFF_KIND_LABELS[k]);
  const vettingLabel = (v: StaffRow['vettingStatus']) => (en ? VETTING_LABELS_EN[v] : VETTING_LABELS[v]);

  const columns: TableColumnsType<StaffRow> = [
    {
      title: t('name'),
      dataIndex: 'name',
      render: (n: string, s) => (s.active ? n : <Typography.Text type="secondary">{n}</Typography.Text>),
    },
    { title: t('phone'), dataIndex: 'phone', render: (p: string) => p || '—' },
    {
      title: t('kind'),
      dataIndex: 'kind',
      render: (k: StaffRow['kind']) => <Tag color={k === 'own' ? 'blue' : k === 'external' ? 'purple' : 'cyan'}>{kindLabel(k)}</Tag>,
    },
    {
      title: t('campus'),
      dataIndex: 'campusName',
      render: (c: string | null) => c ?? <Typography.Text type="secondary">{t('noCampus')}</Typography.Text>,
    },
    {
      title: t('vetting'),
      key: 'vetting',
      render: (_: unknown, s) => {
        const w = vettingWarning(s);
        return (
          <Space size={4} wrap>
            <Tag color={VETTING_COLORS[s.vettingStatus]}>{vettingLabel(s.vettingStatus)}</Tag>
            {w && (
              <Tooltip title={t('checkHint')}>
                <Tag color="warning" icon={<WarningOutlined />}>
                  {t(w)}
                </Tag>
              </Tooltip>
            )}
          </Space>
        );
      },
    },
    {
      title: t('checkedOn'),
      dataIndex: 'vettingCheckedOn',
      render: (d: string | null) => (d ? formatDate(d, locale) : '—'),
    },
    {
      title: t('status'),
      dataIndex: 'active',
      render: (a: boolean) => (a ? <Tag color="green">{t('active')}</Tag> : <Tag>{t('inactive')}</Tag>),
    },
    {
      title: t('account'),
      dataIndex: 'hasAccount',
      render: (a: boolean) => (a ? t('hasAccount') : <Typography.Text type="secondary">{t('noAccount')}</Typography.Text>),
    },
    ...(access.staffWrite
      ? [
          {
            title: t('actions'),
            key: 'actions',
            width: 80,
            render: (_: unknown, s: StaffRow) => (
              <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(s)} aria-label={`${t('edit')} ${s.name}`}>
                {t('edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const empty = filtered ? (
    <EmptyState
      description={t('emptyFiltered')}
      action={
        <Button
          onClick={() => {
            setQ('');
            setSearch('');
            setKind(undefined);
            setVetting(undefined);
            setPage(1);
          }}
        >
          {t('clearFilters')}
        </Button>
      }
    />
  ) : (
    <EmptyState
      description={t('empty')}
      action={
        access.staffWrite && (
          <Button type="primary" onClick={() => setEditing(null)}>
            {t('addStaff')}
          </Button>
        )
      }
    />
  );

  return (
    <Card
      title={t('title')}
      extra={
        <Space>
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={doExport}>
            {t('export')}
          </Button>
          {access.staffWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
              {t('addStaff')}
            </Button>
          )}
        </Space>
      }
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, marginBottom: 16 }}>
        <Input.Search
          aria-label={t('searchPlaceholder')}
          placeholder={t('searchPlaceholder')}
          allowClear
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            if (!e.target.value && q) {
              setQ('');
              setPage(1);
            }
          }}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
          style={{ width: 220 }}
        />
        <Select
          aria-label={t('kind')}
          placeholder={t('allKinds')}
          allowClear
          value={kind}
          onChange={(v) => {
            setKind(v);
            setPage(1);
          }}
          options={STAFF_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
          style={{ width: 140 }}
        />
        <Select
          aria-label={t('vetting')}
          placeholder={t('allVetting')}
          allowClear
          value={vetting}
          onChange={(v) => {
            setVetting(v);
            setPage(1);
          }}
          options={VETTING.map((v) => ({ value: v, label: vettingLabel(v) }))}
          style={{ width: 160 }}
        />
      </div>
      {list.isLoading ? (
        <Loading rows={8} />
      ) : list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <Table<StaffRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching && !list.isLoading}
          locale={{ emptyText: empty }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => t('total', { n }),
            onChange: (p, s) => {
              setPage(s === pageSize ? p : 1);
              setPageSize(s);
            },
          }}
        />
      )}
      {access.staffWrite && <StaffForm open={editing !== undefined} person={editing} onClose={() => setEditing(undefined)} />}
    </Card>
  );
}
