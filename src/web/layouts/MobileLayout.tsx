/** The phone shell for guardians and teachers: a title bar, the page, a tab bar a thumb can reach. */
import { TabBar } from 'antd-mobile';
import {
  AppOutline,
  BellOutline,
  CalendarOutline,
  CheckShieldOutline,
  EditSOutline,
  FileOutline,
  TeamOutline,
  UserOutline,
  UnorderedListOutline,
} from 'antd-mobile-icons';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { accessOf } from '../access';
import { useMe } from '../auth';
import { type Dict, useT } from '../i18n';

const dict: Dict = {
  zh: {
    today: '今日',
    duty: '值班',
    carelog: '记录',
    home: '首页',
    pupils: '学生',
    review: '审核',
    handover: '交接',
    survey: '调查',
    rota: '排班',
    me: '我的',
  },
  en: {
    today: 'Today',
    duty: 'Duty',
    carelog: 'Log',
    home: 'Home',
    pupils: 'Pupils',
    review: 'Review',
    handover: 'Hand-over',
    survey: 'Survey',
    rota: 'Rota',
    me: 'Me',
  },
};

export default function MobileLayout() {
  const me = useMe().data;
  const t = useT(dict);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const access = accessOf(me);
  const tabs = [
    ...(access.family ? [{ key: '/m/family', title: t('home'), icon: <AppOutline /> }] : []),
    // a teacher on today's duty through the rota keeps their own groups' roll call beside the console
    ...(access.rollcall && (!access.duty || access.dutyToday)
      ? [{ key: '/m/rollcall', title: t('today'), icon: <CalendarOutline /> }]
      : []),
    ...(access.duty && !access.office ? [{ key: '/m/duty', title: t('duty'), icon: <BellOutline /> }] : []),
    ...(access.carelog && !access.office ? [{ key: '/m/carelog', title: t('carelog'), icon: <EditSOutline /> }] : []),
    ...(access.myRota && !access.office ? [{ key: '/m/rota', title: t('rota'), icon: <CalendarOutline /> }] : []),
    // homeroom teachers: today's hand-over of the class's care pupils, and leave to approve
    ...(access.handover && !access.office ? [{ key: '/m/handover', title: t('handover'), icon: <UnorderedListOutline /> }] : []),
    ...(access.roster ? [{ key: '/m/staff', title: t('pupils'), icon: <TeamOutline /> }] : []),
    // homeroom teachers review their class's applications on the phone (the office has the desktop)
    ...(access.review && !access.enrollment ? [{ key: '/m/review', title: t('review'), icon: <CheckShieldOutline /> }] : []),
    // homeroom teachers: their class's survey answers (the office has the desktop page)
    ...(access.survey && !access.surveyWrite ? [{ key: '/m/class-survey', title: t('survey'), icon: <FileOutline /> }] : []),
    { key: '/m/account', title: t('me'), icon: <UserOutline /> },
  ];
  const active = tabs.find((tab) => pathname.startsWith(tab.key))?.key ?? tabs[0].key;
  return (
    <div style={{ maxWidth: 640, margin: '0 auto', minHeight: '100vh', background: '#f5f7fa', display: 'flex', flexDirection: 'column' }}>
      <div style={{ flex: 1, paddingBottom: 64 }}>
        <Outlet />
      </div>
      <div
        style={{
          position: 'fixed',
          bottom: 0,
          left: 0,
          right: 0,
          background: '#fff',
          borderTop: '1px solid #eee',
          paddingBottom: 'env(safe-area-inset-bottom)',
        }}
      >
        <div style={{ maxWidth: 640, margin: '0 auto' }}>
          <TabBar activeKey={active} onChange={(k) => navigate(k)}>
            {tabs.map((tab) => (
              <TabBar.Item key={tab.key} icon={tab.icon} title={tab.title} />
            ))}
          </TabBar>
        </div>
      </div>
    </div>
  );
}
