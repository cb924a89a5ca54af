/**
 * The plan of a term as a step-by-step form (slots → offerings → fees → safety) with the compliance
 * findings beside it; "提交区教育局备案" only when nothing blocks; publication once the district has
 * filed it; the version history.
 */
import { ArrowLeftOutlined, CloudUploadOutlined, HistoryOutlined, NotificationOutlined, PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Popconfirm, Row, Space, Steps, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { accessOf } from '../../access';
import { get, post } from '../../api';
import { useMe } from '../../auth';
import { ErrorState, Loading } from '../../components/PageState';
import { useT } from '../../i18n';
import { errorText, type School } from '../school/roster';
import { dict } from './dict';
import { FeesStep } from './FeesStep';
import { FindingsPanel } from './FindingsPanel';
import { useLabel } from './labels';
import { OfferingsStep } from './OfferingsStep';
import { SafetyStep } from './SafetyStep';
import { SlotsStep } from './SlotsStep';
import { STATUS_COLORS, usePlan } from './types';
import { stepOf } from './usePlanEdit';
import { VersionsDrawer } from './VersionsDrawer';

export default function PlanEditorPage() {
  const t = useT(dict);
  const label = useLabel();
  const { id } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const access = accessOf(useMe().data);
  const plan = usePlan(id);
  const school = useQuery({ queryKey: ['school'], queryFn: () => get<School>('/school') });
  const [step, setStep] = useState(0);
  const [history, setHistory] = useState(false);

  const act = useMutation({
    mutationFn: (what: 'submit' | 'publish') => post(`/plans/${id}/${what}`),
    onSuccess: (_d, what) => {
      qc.invalidateQueries({ queryKey: ['plan', id] });
      qc.invalidateQueries({ queryKey: ['terms'] });
      message.success(t(what === 'submit' ? 'submitted' : 'published'));
    },
    onError: (e) => message.error(errorText(e)),
  });

  if (plan.isLoading) return <Loading />;
  if (plan.error || !plan.data) return <ErrorState error={plan.error} onRetry={() => plan.refetch()} />;
  const p = plan.data;
  const readOnly = !access.has('plan.write') || p.status === 'submitted';
  const noticeUrl = school.data ? `/notice/${school.data.code}?term=${p.termId}` : undefined;
  const perStep = [0, 1, 2, 3].map((s) => p.findings.filter((f) => stepOf(f.path) === s));
  const steps = [t('stepSlots'), t('stepOfferings'), t('stepFees'), t('stepSafety')];
  const Body = [SlotsStep, OfferingsStep, FeesStep, SafetyStep][step];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Space wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/office/plans')} aria-label={t('back')} />
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('planOf', { term: p.term.name })}
            </Typography.Title>
            <Tag color={STATUS_COLORS[p.status]}>{label('status', p.status)}</Tag>
            <Typography.Text type="secondary">{t('version', { n: p.version })}</Typography.Text>
            {p.published && p.published.version !== p.version && (
              <Tag color="success">{t('publishedVersion', { n: p.published.version })}</Tag>
            )}
          </Space>
          <Space wrap>
            <Button icon={<HistoryOutlined />} onClick={() => setHistory(true)}>
              {t('history')}
            </Button>
            {p.published && noticeUrl && (
              <Button icon={<PrinterOutlined />} href={noticeUrl} target="_blank">
                {t('viewNotice')}
              </Button>
            )}
            {access.has('plan.submit') && p.canPublish && (
              <Popconfirm title={t('publishConfirm')} onConfirm={() => act.mutate('publish')}>
                <Button type="primary" icon={<NotificationOutlined />} loading={act.isPending}>
                  {t('publish')}
                </Button>
              </Popconfirm>
            )}
            {access.has('plan.submit') && (p.status === 'draft' || p.status === 'returned') && (
              <Tooltip title={p.canSubmit ? undefined : t('submitBlocked')}>
                <Popconfirm title={t('submitConfirm')} onConfirm={() => act.mutate('submit')} disabled={!p.canSubmit}>
                  <Button type="primary" icon={<CloudUploadOutlined />} disabled={!p.canSubmit} loading={act.isPending}>
                    {t('submit')}
                  </Button>
                </Popconfirm>
              </Tooltip>
            )}
          </Space>
        </Space>
      </Card>
      {p.status === 'submitted' && <Alert type="info" showIcon message={t('underReview')} />}
      {p.status === 'returned' && <Alert type="warning" showIcon message={t('returnedBy', { c: p.reviewComment })} />}
      {p.status === 'filed' && <Alert type="success" showIcon message={t('filedHint')} />}
      {p.status === 'published' && <Alert type="info" showIcon message={t('editPublishedHint', { n: p.version + 1 })} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          <Card>
            <Steps
              current={step}
              onChange={setStep}
              size="small"
              style={{ marginBottom: 24 }}
              items={steps.map((title, i) => {
                const blocks = perStep[i].filter((f) => f.severity === 'block').length;
                return {
                  title,
                  status: blocks ? ('error' as const) : undefined,
                  description: perStep[i].length ? t('stepFindings', { n: perStep[i].length }) : undefined,
                };
              })}
            />
            <Body plan={p} readOnly={readOnly} />
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <div style={{ position: 'sticky', top: 16 }}>
            <FindingsPanel findings={p.findings} onOpen={setStep} />
          </div>
        </Col>
      </Row>
      <VersionsDrawer open={history} versions={p.versions} onClose={() => setHistory(false)} />
    </Space>
  );
}
