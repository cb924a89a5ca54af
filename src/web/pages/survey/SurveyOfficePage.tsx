/**
 * 需求调查 for the school office: write, open and close the term's questionnaire; the demand it adds
 * up to per weekday × slot × grade band with the groups and staff R5 implies; response rates per
 * class (a class opens its answers and who has not answered); interests and pick-up times; export.
 */
import { DeleteOutlined, DownloadOutlined, EditOutlined, PauseCircleOutlined, PlayCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Empty, Progress, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { CATEGORIES } from '../../../shared/plans';
import { GRADE_LABELS } from '../../../shared/roster';
import { ApiError, del, download, get, post } from '../../api';
import { ErrorState, Loading } from '../../components/PageState';
import { formatDateTime, useT } from '../../i18n';
import { ClassAnswersDrawer } from './ClassAnswersDrawer';
import { DemandMatrix } from './DemandMatrix';
import { dict } from './dict';
import { SurveyForm } from './SurveyForm';
import type { ClassRate, DemandView, Survey, SurveyList } from './types';

const STATUS_COLOR = { draft: 'default', open: 'green', closed: 'orange' } as const;
/** An open survey past its closing time takes no answers: show it as closed. */
const effectiveStatus = (s: Survey) => (s.accepting ? 'open' : s.status === 'open' ? 'closed' : s.status);

export default function SurveyOfficePage() {
  const t = useT(dict);
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<Survey | null | undefined>(undefined);
  const [cls, setCls] = useState<ClassRate | null>(null);
  const [exporting, setExporting] = useState(false);
  const list = useQuery({ queryKey: ['surveys'], queryFn: () => get<SurveyList>('/surveys') });
  const items = list.data?.items ?? [];
  const selected = items.find((s) => s.id === params.get('id')) ?? items.find((s) => s.status === 'open') ?? items[0];
  const view = useQuery({
    queryKey: ['survey-demand', selected?.id],
    queryFn: () => get<DemandView>(`/surveys/${selected?.id}/demand`),
    enabled: !!selected,
    placeholderData: keepPreviousData,
  });
  const refresh = () => qc.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('survey') });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'open' | 'close' | 'delete' }) =>
      action === 'delete' ? del(`/surveys/${id}`) : post(`/surveys/${id}/${action}`),
    onSuccess: (_r, v) => {
      message.success(t('saved'));
      if (v.action === 'delete') setParams({});
      refresh();
    },
    onError: (e) => message.error(e instanceof ApiError ? e.message : String(e)),
  });
  const confirm = (id: string, action: 'open' | 'close' | 'delete') =>
    modal.confirm({
      title: t(action === 'open' ? 'confirmOpen' : action === 'close' ? 'confirmClose' : 'confirmDelete'),
      onOk: () => act.mutateAsync({ id, action }),
    });
  const doExport = async (s: Survey) => {
    setExporting(true);
    try {
      await download(`/surveys/${s.id}/export.xlsx`, `${s.title}.xlsx`);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setExporting(false);
    }
  };

  if (list.isLoading) return <Loading />;
  if (list.error) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  const v = view.data;

  const rateColumns: TableColumnsType<ClassRate> = [
    {
      title: t('grade'),
      dataIndex: 'grade',
      width: 100,
      render: (g: number) => GRADE_LABELS[g],
      filters: [1, 2, 3, 4, 5, 6].map((g) => ({ text: GRADE_LABELS[g], value: g })),
      onFilter: (val, r) => r.grade === val,
    },
    { title: t('className'), dataIndex: 'className', width: 120 },
    { title: t('pupils'), dataIndex: 'pupils', width: 90, align: 'right' },
    { title: t('answeredCol'), dataIndex: 'answered', width: 90, align: 'right' },
    {
      title: t('rate'),
      dataIndex: 'rate',
      sorter: (a, b) => a.rate - b.rate,
      render: (r: number) => (
        <Progress percent={Math.round(r * 100)} size="small" status={r >= 1 ? 'success' : 'normal'} style={{ maxWidth: 260 }} />
      ),
    },
    {
      title: '',
      key: 'open',
      width: 110,
      render: (_, r) => (
        <Button type="link" onClick={() => setCls(r)}>
          {t('viewAnswers')}
        </Button>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'center', justifyContent: 'space-between' }}>
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('pageTitle')}
            </Typography.Title>
            {items.length > 0 && (
              <Select
                aria-label={t('title')}
                style={{ minWidth: 360 }}
                value={selected?.id}
                onChange={(id) => setParams({ id })}
                options={items.map((s) => ({ value: s.id, label: `${s.title} · ${t(`status_${effectiveStatus(s)}`)}` }))}
              />
            )}
            {selected && <Tag color={STATUS_COLOR[effectiveStatus(selected)]}>{t(`status_${effectiveStatus(selected)}`)}</Tag>}
            {selected?.closesAt && (
              <Typography.Text type="secondary">{t('closesAt', { date: formatDateTime(selected.closesAt) })}</Typography.Text>
            )}
          </Space>
          <Space wrap>
            {selected && (
              <>
                <Button icon={<EditOutlined />} onClick={() => setEditing(selected)}>
                  {t('edit')}
                </Button>
                {selected.status !== 'open' && (
                  <Button type="primary" icon={<PlayCircleOutlined />} onClick={() => confirm(selected.id, 'open')}>
                    {selected.status === 'draft' ? t('open') : t('reopen')}
                  </Button>
                )}
                {selected.status === 'open' && (
                  <Button icon={<PauseCircleOutlined />} onClick={() => confirm(selected.id, 'close')}>
                    {t('close')}
                  </Button>
                )}
                {selected.status === 'draft' && (
                  <Button danger icon={<DeleteOutlined />} onClick={() => confirm(selected.id, 'delete')}>
                    {t('deleteDraft')}
                  </Button>
                )}
                <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => doExport(selected)} title={t('exportHint')}>
                  {t('export')}
                </Button>
              </>
            )}
            <Button type={selected ? 'default' : 'primary'} icon={<PlusOutlined />} onClick={() => setEditing(null)}>
              {t('newSurvey')}
            </Button>
          </Space>
        </div>
      </Card>

      {!selected && (
        <Card>
          <Empty description={t('empty')}>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
              {t('newSurvey')}
            </Button>
          </Empty>
        </Card>
      )}
      {selected && view.isLoading && <Loading />}
      {selected && view.error && <ErrorState error={view.error} onRetry={() => view.refetch()} />}
      {selected && v && (
        <>
          <Row gutter={16}>
            {[
              {
                title: t('response'),
                value: v.answered,
                suffix: `/ ${v.pupils}（${v.pupils ? Math.round((v.answered / v.pupils) * 100) : 0}%）`,
              },
              { title: t('peakGroups'), value: v.demand.week.peakGroups },
              { title: t('peakTeachers'), value: v.demand.week.peakTeachers },
              { title: t('dutyLeaders'), value: v.demand.week.peakDuty },
              { title: t('lunchCount'), value: v.demand.lunch },
            ].map((s) => (
              <Col key={s.title} xs={12} md={8} lg={4} xl={4}>
                <Card size="small">
                  <Statistic title={s.title} value={s.value} suffix={s.suffix && <span style={{ fontSize: 14 }}>{s.suffix}</span>} />
                </Card>
              </Col>
            ))}
          </Row>
          <Card>
            <Tabs
              items={[
                {
                  key: 'demand',
                  label: t('tabDemand'),
                  children: (
                    <>
                      <Typography.Paragraph type="secondary">{t('matrixHint', { max: v.demand.rules.maxGroupSize })}</Typography.Paragraph>
                      <DemandMatrix demand={v.demand} />
                      {v.demand.noService > 0 && (
                        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
                          {t('noServiceCount', { n: v.demand.noService })}
                        </Typography.Paragraph>
                      )}
                    </>
                  ),
                },
                {
                  key: 'rates',
                  label: t('tabRates'),
                  children: (
                    <Table
                      rowKey="classId"
                      size="small"
                      columns={rateColumns}
                      dataSource={v.classes}
                      pagination={{ pageSize: 30, hideOnSinglePage: true }}
                    />
                  ),
                },
                { key: 'interests', label: t('tabInterests'), children: <Interests view={v} /> },
              ]}
            />
          </Card>
        </>
      )}
      {editing !== undefined && (
        <SurveyForm
          survey={editing}
          terms={list.data?.terms ?? []}
          onClose={() => setEditing(undefined)}
          onSaved={(s) => {
            setEditing(undefined);
            setParams({ id: s.id });
            refresh();
          }}
        />
      )}
      {cls && selected && <ClassAnswersDrawer surveyId={selected.id} cls={cls} onClose={() => setCls(null)} />}
    </Space>
  );
}

function Interests({ view }: { view: DemandView }) {
  const t = useT(dict);
  const max = Math.max(1, ...Object.values(view.demand.interests));
  const maxPickup = Math.max(1, ...view.demand.pickupTimes.map((p) => p.n));
  return (
    <Row gutter={32}>
      <Col xs={24} lg={12}>
        <Typography.Title level={5}>{t('interests')}</Typography.Title>
        {CATEGORIES.map((c) => (
          <div key={c} style={{ display: 'flex', alignItems: 'center', gap: 12, marginBottom: 6 }}>
            <span style={{ width: 80 }}>{t(`cat_${c}`)}</span>
            <Progress percent={(view.demand.interests[c] / max) * 100} showInfo={false} style={{ flex: 1, margin: 0 }} />
            <span style={{ width: 40, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{view.demand.interests[c]}</span>
          </div>
        ))}
      </Col>
      <Col xs={24} lg={12}>
        <Typography.Title level={5}>{t('pickupTime')}</Typography.Title>
        {view.demand.pickupTimes.length === 0 && <Typography.Text type="secondary">{t('empty')}</Typography.Text>}
        {view.demand.pickupTimes.map((p) => (
          <div key={p.time} style={{ display: 'flex', alignItems: 'center', gap: 12, marginBottom: 6 }}>
            <span style={{ width: 80, fontVariantNumeric: 'tabular-nums' }}>{p.time} –</span>
            <Progress
              percent={(p.n / maxPickup) * 100}
              showInfo={false}
              strokeColor={p.time >= '18:00' ? '#fa8c16' : undefined}
              style={{ flex: 1, margin: 0 }}
            />
            <span style={{ width: 40, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{p.n}</span>
          </div>
        ))}
      </Col>
    </Row>
  );
}
