/**
 * 报名 on the guardian's phone, for one child: sign the two agreements, tick the days of regular
 * care, choose clubs, submit; then grab fcfs seats and follow "my places" (waitlist position,
 * confirming an offered seat before its deadline).
 */
import { useQuery } from '@tanstack/react-query';
import { ErrorBlock, NavBar, NoticeBar, Skeleton, Tag } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router-dom';
import { get } from '../../api';
import { useMe } from '../../auth';
import { ConsentNotice } from '../family/ConsentNotice';
import { formatDateTime, useT } from '../../i18n';
import { GRADE_LABELS } from '../../../shared/roster';
import { AgreementsCard } from './AgreementsCard';
import { ApplicationForm } from './ApplicationForm';
import { dict } from './dict';
import { MyPlaces } from './MyPlaces';
import { SeatCards } from './SeatCards';
import type { ApplyData } from './types';

export default function ApplyPage() {
  const { studentId } = useParams();
  const t = useT(dict);
  const navigate = useNavigate();
  const me = useMe().data;
  const q = useQuery({
    queryKey: ['apply', studentId],
    queryFn: () => get<ApplyData>(`/family/apply/${studentId}`),
    enabled: !!me && !me.consentRequired,
  });
  if (me?.consentRequired) return <ConsentNotice />;
  const back = () => navigate('/m/family');
  if (q.isLoading) return <Skeleton.Paragraph lineCount={10} animated style={{ padding: 12 }} />;
  if (q.error || !q.data) return <ErrorBlock status="default" description={(q.error as Error)?.message} />;
  const d = q.data;
  const open = d.term?.window === 'open';
  const signed = d.agreements.length > 0 && d.agreements.every((a) => a.signedAt);
  const applied = !!d.application && d.application.status !== 'withdrawn' && d.application.status !== 'rejected';
  return (
    <div>
      <NavBar onBack={back}>
        {d.child.name} · {t('title')}
      </NavBar>
      <div style={{ padding: '6px 16px', color: '#666', fontSize: 13 }}>
        {GRADE_LABELS[d.child.grade]} {d.child.className}
        {d.term && (
          <>
            {' · '}
            {d.term.name} <Tag color={open ? 'success' : 'default'}>{t(`window_${d.term.window}`)}</Tag>
          </>
        )}
      </div>
      {!d.term && <ErrorBlock status="empty" title={t('noPlan')} description="" />}
      {d.term && (
        <>
          {d.term.applyOpensAt && d.term.applyClosesAt && (
            <div style={{ padding: '0 16px', color: '#999', fontSize: 12 }}>
              {t('windowRange', { from: formatDateTime(d.term.applyOpensAt), to: formatDateTime(d.term.applyClosesAt) })}
            </div>
          )}
          {!open && <NoticeBar style={{ margin: '8px 12px 0', borderRadius: 8 }} content={t('closedHint')} color="alert" wrap />}
          {(d.enrollments.length > 0 || applied) && <MyPlaces data={d} windowOpen={open} />}
          <AgreementsCard termId={d.term.id} studentId={d.child.id} agreements={d.agreements} />
          {signed ? (
            <ApplicationForm data={d} canEdit={open} />
          ) : (
            <div style={{ padding: '0 16px 12px', color: '#999' }}>{t('signFirst')}</div>
          )}
          {signed && <SeatCards data={d} canGrab={open && applied} />}
        </>
      )}
    </div>
  );
}
