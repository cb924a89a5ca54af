/** The guardian's home: one card per child, in words a parent uses. */
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, ErrorBlock, List, NavBar, Skeleton, Tag } from 'antd-mobile';
import { BellOutline } from 'antd-mobile-icons';
import { useNavigate } from 'react-router-dom';
import { get } from '../../api';
import { useMe } from '../../auth';
import { type Dict, formatDate, useLocale, useT } from '../../i18n';
import { GRADE_LABELS } from '../../../shared/roster';
import { SurveyNotice } from '../survey/SurveyNotice';
import { ChildToday } from './ChildToday';
import { ConsentNotice } from './ConsentNotice';
import { useInbox } from '../apply/NotificationsPage';

export interface Child {
  id: string;
  name: string;
  gender: string;
  grade: number;
  className: string;
  campusName: string;
  relation: string;
}

const dict: Dict = {
  zh: {
    title: '我的孩子',
    none: '学校还没有把您登记为孩子的监护人。请联系班主任核对手机号。',
    pickups: '接送人',
    pickupsHint: '查看和添加可以接孩子的大人',
    apply: '报名',
    applyHint: '签协议、选托管日子和社团、看录取和候补',
    fees: '缴费',
    feesHint: '账单、缴费、收据和减免申请',
    messages: '消息',
    relation: '您是{r}',
    lunch: '午餐',
    lunchHint: '本周菜单和午餐费',
  },
  en: {
    title: 'My children',
    none: 'The school has not registered you as a guardian yet. Please ask the homeroom teacher to check your phone number.',
    pickups: 'Pick-up adults',
    pickupsHint: 'See and add the adults who may collect your child',
    apply: 'Apply',
    applyHint: 'Agreements, days and clubs, places and waitlists',
    fees: 'Fees',
    feesHint: 'Bills, payments, receipts and waivers',
    messages: 'Messages',
    relation: 'You are: {r}',
    lunch: 'Lunch',
    lunchHint: 'This week’s menu and the lunch bill',
  },
};

export default function FamilyHome() {
  const t = useT(dict);
  const { locale } = useLocale();
  const me = useMe().data;
  const navigate = useNavigate();
  const children = useQuery({
    queryKey: ['family', 'children', me?.active?.id],
    queryFn: () => get<Child[]>('/family/children'),
    enabled: !!me && !me.consentRequired,
  });
  const inbox = useInbox(!!me && !me.consentRequired);
  if (me?.consentRequired) return <ConsentNotice />;
  return (
    <div>
      <NavBar
        backIcon={false}
        right={
          <Badge content={inbox.data?.unread ? inbox.data.unread : null} style={{ '--right': '-4px' }}>
            <BellOutline fontSize={22} aria-label={t('messages')} onClick={() => navigate('/m/notifications')} />
          </Badge>
        }
      >
        {me?.active?.name ?? t('title')}
      </NavBar>
      <div style={{ padding: '4px 12px', color: '#888', fontSize: 13 }}>{formatDate(new Date(), locale)}</div>
      <SurveyNotice />
      {children.isLoading && <Skeleton.Paragraph lineCount={6} animated style={{ padding: 12 }} />}
      {children.error && <ErrorBlock status="default" description={(children.error as Error).message} />}
      {children.data?.length === 0 && <ErrorBlock status="empty" title={t('empty')} description={t('none')} />}
      {children.data?.map((c) => (
        <Card
          key={c.id}
          style={{ margin: 12, borderRadius: 12 }}
          title={
            <span style={{ fontSize: 18 }}>
              {c.name} <Tag color="primary" fill="outline">{`${GRADE_LABELS[c.grade]} ${c.className}`}</Tag>
            </span>
          }
          extra={<span style={{ color: '#999', fontSize: 12 }}>{c.campusName}</span>}
        >
          <div style={{ color: '#666', marginBottom: 8 }}>{t('relation', { r: c.relation })}</div>
          <ChildToday studentId={c.id} name={c.name} />
          <List style={{ '--border-top': 'none', '--border-bottom': 'none' }}>
            <List.Item onClick={() => navigate(`/m/apply/${c.id}`)} description={t('applyHint')} arrowIcon>
              {t('apply')}
            </List.Item>
            <List.Item onClick={() => navigate(`/m/invoices/${c.id}`)} description={t('feesHint')} arrowIcon>
              {t('fees')}
            </List.Item>
            <List.Item onClick={() => navigate(`/m/family/children/${c.id}`)} description={t('pickupsHint')} arrowIcon>
              {t('pickups')}
            </List.Item>
            <List.Item onClick={() => navigate(`/m/family/lunch/${c.id}`)} description={t('lunchHint')} arrowIcon>
              {t('lunch')}
            </List.Item>
          </List>
        </Card>
      ))}
    </div>
  );
}
