/** The public notice (公示) at /notice/:schoolCode: no login, printable on A4. */
import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Result } from 'antd';
import { useEffect } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { ApiError, get, qs } from '../../api';
import { Loading } from '../../components/PageState';
import { useT } from '../../i18n';
import { dict } from './dict';
import './notice.css';
import { PlanNotice } from './PlanNotice';
import type { PublicPlan } from './types';

export default function NoticePage() {
  const t = useT(dict);
  const { schoolCode = '' } = useParams();
  const [params] = useSearchParams();
  const termId = params.get('term') ?? undefined;
  const notice = useQuery({
    queryKey: ['notice', schoolCode, termId],
    queryFn: () => get<PublicPlan>(`/public/plans/${encodeURIComponent(schoolCode)}${qs({ termId })}`),
  });
  useEffect(() => {
    if (notice.data) document.title = `${notice.data.snapshot.school.name} 课后服务方案公示`;
  }, [notice.data]);
  if (notice.isLoading) return <Loading />;
  if (notice.error || !notice.data) {
    const e = notice.error;
    return (
      <Result
        status={e instanceof ApiError && e.status === 404 ? '404' : 'error'}
        title={e instanceof ApiError ? e.message : '出错了，请稍后再试'}
      />
    );
  }
  const n = notice.data;
  return (
    <div className="notice-page">
      <div className="notice-toolbar">
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('print')}
        </Button>
      </div>
      <PlanNotice snapshot={n.snapshot} version={n.version} publishedAt={n.publishedAt} filedAt={n.filedAt} calendar={n.calendar} />
    </div>
  );
}
