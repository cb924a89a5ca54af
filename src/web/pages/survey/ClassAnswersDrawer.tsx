/** One class's answers and the pupils without one, for the office (the homeroom view on a desktop). */
import { useQuery } from '@tanstack/react-query';
import { Drawer, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { get } from '../../api';
import { ErrorState, Loading } from '../../components/PageState';
import { formatDateTime, useT } from '../../i18n';
import { daysSummary, dict } from './dict';
import type { Answers, ClassRate, PupilAnswer } from './types';

export function ClassAnswersDrawer({ surveyId, cls, onClose }: { surveyId: string; cls: ClassRate; onClose(): void }) {
  const t = useT(dict);
  const q = useQuery({
    queryKey: ['survey-answers', surveyId, cls.classId],
    queryFn: () => get<Answers>(`/surveys/${surveyId}/answers?classId=${cls.classId}`),
  });
  const answered: TableColumnsType<PupilAnswer> = [
    { title: t('studentNo'), dataIndex: 'studentNo', width: 130 },
    { title: t('name'), dataIndex: 'name', width: 90 },
    { title: t('daysCol'), key: 'days', render: (_, p) => (p.answer ? daysSummary(p.answer.days, t) : '') },
    {
      title: t('interestCol'),
      key: 'interests',
      render: (_, p) => p.answer?.interests.map((c) => <Tag key={c}>{t(`cat_${c}`)}</Tag>),
    },
    { title: t('pickupCol'), key: 'pickup', width: 90, render: (_, p) => p.answer?.pickupTime ?? '—' },
    { title: t('lunch'), key: 'lunch', width: 80, render: (_, p) => (p.answer?.lunch ? '✓' : '') },
    {
      title: t('noteCol'),
      key: 'note',
      render: (_, p) => (
        <>
          {p.answer?.note}
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {p.answer && t('answeredBy', { who: p.answer.answeredBy, at: formatDateTime(p.answer.answeredAt) })}
            </Typography.Text>
          </div>
        </>
      ),
    },
  ];
  const missing: TableColumnsType<PupilAnswer> = [
    { title: t('studentNo'), dataIndex: 'studentNo', width: 130 },
    { title: t('name'), dataIndex: 'name', width: 90 },
    {
      title: t('guardianCol'),
      key: 'guardian',
      render: (_, p) => (p.guardian ? `${p.guardian.name}（${p.guardian.relation}） ${p.guardian.phone}` : t('noGuardian')),
    },
  ];
  return (
    <Drawer open size={960} onClose={onClose} title={`${cls.className} · ${t('progress', { a: cls.answered, n: cls.pupils })}`}>
      {q.isLoading && <Loading />}
      {q.error && <ErrorState error={q.error} onRetry={() => q.refetch()} />}
      {q.data && (
        <>
          <Typography.Title level={5}>{t('tabMissing', { n: q.data.missing.length })}</Typography.Title>
          <Table
            rowKey="studentId"
            size="small"
            pagination={false}
            columns={missing}
            dataSource={q.data.missing}
            style={{ marginBottom: 24 }}
          />
          <Typography.Title level={5}>{t('tabAnswered', { n: q.data.answered.length })}</Typography.Title>
          <Table rowKey="studentId" size="small" pagination={false} columns={answered} dataSource={q.data.answered} />
        </>
      )}
    </Drawer>
  );
}
