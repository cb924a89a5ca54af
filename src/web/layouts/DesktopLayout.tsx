/** The office and district desktop: a left menu by the life of a term, the school and actor on top. */
import {
  AccountBookOutlined,
  FundOutlined,
  AuditOutlined,
  AlertOutlined,
  AppstoreOutlined,
  FileProtectOutlined,
  ScheduleOutlined,
  CheckSquareOutlined,
  SolutionOutlined,
  BankOutlined,
  FormOutlined,
  CloudUploadOutlined,
  IdcardOutlined,
  LogoutOutlined,
  TeamOutlined,
  UserOutlined,
  ApartmentOutlined,
  GlobalOutlined,
  KeyOutlined,
  CoffeeOutlined,
  MoneyCollectOutlined,
  PayCircleOutlined,
} from '@ant-design/icons';
import { Button, Dropdown, Layout, Menu, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { accessOf } from '../access';
import { useAuthActions, useMe } from '../auth';
import { type Dict, useLocale, useT } from '../i18n';
import { ContextSwitcher } from './ContextSwitcher';

const dict: Dict = {
  zh: {
    basics: '基础数据',
    students: '学生名册',
    classes: '行政班',
    staff: '教职工与外聘',
    school: '学校与校区',
    import: '名册导入',
    audit: '审计日志',
    groups: '编班与排班',
    billing: '收费',
    billingFees: '收费标准',
    billingInvoices: '账单',
    billingWaivers: '减免',
    billingClose: '结账',
    providers: '准入机构',
    dutyConsole: '每日运行（值班台）',
    rota: '排班表',
    outbox: '通知外发',
    plans: '学期与方案',
    filing: '方案备案',
    enrollment: '报名与录取',
    review: '报名审核',
    survey: '需求调查',
    payments: '收费与对账',
    accounts: '收支公示',
    lunch: '午餐',
    subsidies: '补贴',
    funding: '经费',
    schools: '本区学校',
    account: '账号设置',
  },
  en: {
    basics: 'Basic data',
    students: 'Pupils',
    classes: 'Classes',
    staff: 'Staff',
    school: 'School & campuses',
    import: 'Import roster',
    audit: 'Audit log',
    groups: 'Groups & rota',
    billing: 'Billing',
    billingFees: 'Fee standards',
    billingInvoices: 'Bills',
    billingWaivers: 'Waivers',
    billingClose: 'Term close',
    providers: 'Approved providers',
    dutyConsole: 'Every day (duty console)',
    rota: 'Rota',
    outbox: 'Outbound notifications',
    plans: 'Terms & plans',
    filing: 'Plan filing',
    enrollment: 'Enrolment',
    review: 'Applications',
    survey: 'Needs survey',
    payments: 'Fees & reconciliation',
    accounts: 'Term accounts',
    lunch: 'Lunch',
    subsidies: 'Subsidies',
    funding: 'Funding',
    schools: 'Schools',
    account: 'Account',
  },
};

export default function DesktopLayout() {
  const me = useMe().data;
  const t = useT(dict);
  const { locale, setLocale } = useLocale();
  const { logout } = useAuthActions();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const access = accessOf(me);

  const items: MenuProps['items'] = [];
  if (access.district) items.push({ key: '/district/schools', icon: <BankOutlined />, label: t('schools') });
  if (access.filing) items.push({ key: '/district/filing', icon: <FileProtectOutlined />, label: t('filing') });
  if (access.funding) items.push({ key: '/district/funding', icon: <MoneyCollectOutlined />, label: t('funding') });
  if (access.district) items.push({ key: '/district/providers', icon: <BankOutlined />, label: t('providers') });
  if (access.plans && access.office) items.push({ key: '/office/plans', icon: <ScheduleOutlined />, label: t('plans') });
  if (access.surveyWrite) items.push({ key: '/office/survey', icon: <FormOutlined />, label: t('survey') });
  if (access.roster) {
    items.push({
      key: 'basics',
      label: t('basics'),
      type: 'group',
      children: [
        { key: '/office/students', icon: <TeamOutlined />, label: t('students') },
        { key: '/office/classes', icon: <ApartmentOutlined />, label: t('classes') },
        ...(access.staff ? [{ key: '/office/staff', icon: <IdcardOutlined />, label: t('staff') }] : []),
        ...(access.school ? [{ key: '/office/school', icon: <BankOutlined />, label: t('school') }] : []),
        ...(access.import ? [{ key: '/office/import', icon: <CloudUploadOutlined />, label: t('import') }] : []),
      ],
    });
  }
  if (access.enrollment)
    items.push(
      { key: '/office/enrollment', icon: <SolutionOutlined />, label: t('enrollment') },
      { key: '/office/review', icon: <CheckSquareOutlined />, label: t('review') },
    );
  if (access.groups) items.push({ key: '/office/groups', icon: <AppstoreOutlined />, label: t('groups') });
  if (access.rota) items.push({ key: '/office/rota', icon: <ScheduleOutlined />, label: t('rota') });
  if (access.duty) items.push({ key: '/office/duty', icon: <AlertOutlined />, label: t('dutyConsole') });
  if (access.outbox) items.push({ key: '/office/outbox', icon: <AlertOutlined />, label: t('outbox') });
  if (access.billing)
    items.push({
      key: 'billing',
      label: t('billing'),
      type: 'group',
      children: [
        { key: '/office/billing/fees', icon: <AccountBookOutlined />, label: t('billingFees') },
        { key: '/office/billing', icon: <AccountBookOutlined />, label: t('billingInvoices') },
        ...(access.waivers ? [{ key: '/office/billing/waivers', icon: <AccountBookOutlined />, label: t('billingWaivers') }] : []),
        { key: '/office/billing/close', icon: <AccountBookOutlined />, label: t('billingClose') },
      ],
    });
  if (access.payments) items.push({ key: '/office/payments', icon: <AccountBookOutlined />, label: t('payments') });
  if (access.accounts) items.push({ key: '/office/accounts', icon: <FundOutlined />, label: t('accounts') });
  if (access.lunch) items.push({ key: '/office/lunch', icon: <CoffeeOutlined />, label: t('lunch') });
  if (access.subsidies) items.push({ key: '/office/subsidies', icon: <PayCircleOutlined />, label: t('subsidies') });
  if (access.audit) items.push({ key: '/office/audit', icon: <AuditOutlined />, label: t('audit') });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider theme="light" width={220} breakpoint="lg" collapsedWidth={0} className="no-print">
        <div style={{ padding: '18px 24px', fontSize: 20, fontWeight: 600, color: '#1677ff' }}>
          {t('appName')}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('appSubtitle')}
          </Typography.Text>
        </div>
        <Menu mode="inline" selectedKeys={[pathname]} items={items} onClick={(e) => navigate(e.key)} />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          className="no-print"
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Typography.Title level={5} style={{ margin: 0 }}>
            {me?.active?.name}
          </Typography.Title>
          <Space>
            <ContextSwitcher />
            <Button icon={<GlobalOutlined />} onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
              {t('language')}
            </Button>
            <Dropdown
              menu={{
                items: [
                  { key: 'account', icon: <KeyOutlined />, label: t('changePassword'), onClick: () => navigate('/account') },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('logout'), onClick: () => logout() },
                ],
              }}
            >
              <Button type="text" icon={<UserOutlined />}>
                {me?.account.displayName}
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
