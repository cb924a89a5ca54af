/** The guardian's phone: this week's menu, the child's monthly lunch bill, and for parent-committee members the lunch accounts. */
import { useQuery } from '@tanstack/react-query';
import { Card, ErrorBlock, List, NavBar, Skeleton, Tag } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router-dom';
import { formatYuan } from '../../../shared/ledger';
import { ApiError, get } from '../../api';
import { type Dict, useLocale, useT } from '../../i18n';
import { addDays, WEEKDAY_EN, WEEKDAY_ZH } from './dict';

interface Menu {
  weekStart: string;
  days: { weekday: number; dishes: string[] }[];
  caterer: { name: string; licenceNo: string; priceFen: number } | null;
}
interface Bill {
  child: { id: string; name: string };
  statements: { month: string; meals: number; priceFen: number; amountFen: number; dueFen: number; catererName: string }[];
}
interface CommitteeView {
  caterer: { name: string; licenceNo: string; priceFen: number; validFrom: string; validTo: string } | null;
  statements: { month: string; meals: number; pupils: number; amountFen: number; paidAt: string | null }[];
  accompaniments: { day: string; staffName: string; rating: number; notes: string }[];
}

const dict: Dict = {
  zh: {
    title: '午餐',
    menu: '本周菜单',
    noMenu: '本周菜单尚未公布',
    caterer: '供餐单位：{name}（许可证 {licence}），每餐 {price} 元',
    bill: '{name} 的午餐费',
    noBill: '还没有午餐账单',
    meals: '{n} 餐 × {price} 元',
    committee: '家委会：午餐账目',
    pupils: '{n} 人',
    mealsN: '{n} 餐',
    paid: '已付供餐单位',
    unpaid: '未付',
    accompany: '陪餐记录',
    separate: '午餐费按月单独结算，与课后服务费分开；学校收齐后支付给供餐单位。',
    familyPaid: '已缴',
    familyDue: '待缴 ¥{amount}',
  },
  en: {
    title: 'Lunch',
    menu: 'This week’s menu',
    noMenu: 'This week’s menu is not published yet',
    caterer: 'Caterer: {name} (licence {licence}), {price} yuan a meal',
    bill: '{name}’s lunch',
    noBill: 'No lunch bill yet',
    meals: '{n} meals × {price} yuan',
    committee: 'Parent committee: lunch accounts',
    pupils: '{n} pupils',
    mealsN: '{n} meals',
    paid: 'Caterer paid',
    unpaid: 'Unpaid',
    accompany: 'Leaders at lunch',
    separate: 'Lunch is settled monthly, apart from the after-school fees; the school pays the caterer.',
    familyPaid: 'Paid',
    familyDue: 'Due ¥{amount}',
  },
};

export default function FamilyLunch() {
  const t = useT(dict);
  const { locale } = useLocale();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const menu = useQuery({ queryKey: ['family', 'lunch', 'menu'], queryFn: () => get<Menu>('/family/lunch/menu') });
  const bill = useQuery({ queryKey: ['family', 'lunch', id], queryFn: () => get<Bill>(`/family/lunch/children/${id}`) });
  const committee = useQuery({
    queryKey: ['family', 'lunch', 'committee'],
    retry: false,
    queryFn: () => get<CommitteeView>('/family/lunch/committee'),
  });
  const names = locale === 'en' ? WEEKDAY_EN : WEEKDAY_ZH;
  const notMember = committee.error instanceof ApiError && committee.error.status === 403;
  return (
    <div>
      <NavBar onBack={() => navigate('/m/family')}>{t('title')}</NavBar>
      <Card title={t('menu')} style={{ margin: 12, borderRadius: 12 }}>
        {menu.isLoading && <Skeleton.Paragraph lineCount={5} animated />}
        {menu.error && <ErrorBlock status="default" description={(menu.error as Error).message} />}
        {menu.data && menu.data.days.length === 0 && <ErrorBlock status="empty" title={t('noMenu')} description="" />}
        {menu.data && menu.data.days.length > 0 && (
          <List style={{ '--border-top': 'none', '--border-bottom': 'none' }}>
            {menu.data.days.map((d) => (
              <List.Item
                key={d.weekday}
                prefix={<b>{names[d.weekday]}</b>}
                description={addDays(menu.data.weekStart, d.weekday - 1).slice(5)}
              >
                {d.dishes.join('、')}
              </List.Item>
            ))}
          </List>
        )}
        {menu.data?.caterer && (
          <div style={{ color: '#888', fontSize: 12, marginTop: 8 }}>
            {t('caterer', {
              name: menu.data.caterer.name,
              licence: menu.data.caterer.licenceNo,
              price: formatYuan(menu.data.caterer.priceFen),
            })}
          </div>
        )}
      </Card>
      <Card title={bill.data ? t('bill', { name: bill.data.child.name }) : ''} style={{ margin: 12, borderRadius: 12 }}>
        {bill.isLoading && <Skeleton.Paragraph lineCount={3} animated />}
        {bill.error && <ErrorBlock status="default" description={(bill.error as Error).message} />}
        {bill.data?.statements.length === 0 && <ErrorBlock status="empty" title={t('noBill')} description="" />}
        {bill.data?.statements.map((s) => (
          <List.Item
            key={s.month}
            extra={<b style={{ fontSize: 17 }}>¥{formatYuan(s.amountFen)}</b>}
            description={
              <>
                {s.catererName}{' '}
                {s.dueFen === 0 ? (
                  <Tag color="success">{t('familyPaid')}</Tag>
                ) : (
                  <Tag color="warning">{t('familyDue', { amount: formatYuan(s.dueFen) })}</Tag>
                )}
              </>
            }
          >
            {s.month} · {t('meals', { n: s.meals, price: formatYuan(s.priceFen) })}
          </List.Item>
        ))}
        <div style={{ color: '#888', fontSize: 12, marginTop: 8 }}>{t('separate')}</div>
      </Card>
      {committee.data && !notMember && (
        <Card title={t('committee')} style={{ margin: 12, borderRadius: 12 }}>
          {committee.data.statements.map((s) => (
            <List.Item
              key={s.month}
              extra={<b>¥{formatYuan(s.amountFen)}</b>}
              description={s.paidAt ? <Tag color="success">{t('paid')}</Tag> : <Tag color="warning">{t('unpaid')}</Tag>}
            >
              {s.month} · {t('pupils', { n: s.pupils })} · {t('mealsN', { n: s.meals })}
            </List.Item>
          ))}
          <div style={{ fontWeight: 600, margin: '12px 0 4px' }}>{t('accompany')}</div>
          {committee.data.accompaniments.slice(0, 10).map((a) => (
            <div key={`${a.day}-${a.staffName}`} style={{ fontSize: 13, color: '#555', padding: '4px 0' }}>
              {a.day} {a.staffName} {'★'.repeat(a.rating)} {a.notes}
            </div>
          ))}
        </Card>
      )}
    </div>
  );
}
