/**
 * Every page, split by route (React.lazy). Desktop pages (office, district) sit in DesktopLayout;
 * phone pages (guardian, teacher) in MobileLayout under /m. Each feature lives in src/web/pages/<feature>/.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router-dom';
import { homePath, useMe } from './auth';
import { Loading } from './components/PageState';
import { RequireAuth } from './components/RequireAuth';
import type { Access } from './access';

const DesktopLayout = lazy(() => import('./layouts/DesktopLayout'));
const MobileLayout = lazy(() => import('./layouts/MobileLayout'));
const LoginPage = lazy(() => import('./pages/login/LoginPage'));
const StudentsPage = lazy(() => import('./pages/students/StudentsPage'));
const ClassesPage = lazy(() => import('./pages/classes/ClassesPage'));
const StaffPage = lazy(() => import('./pages/staff/StaffPage'));
const SchoolPage = lazy(() => import('./pages/school/SchoolPage'));
const ImportPage = lazy(() => import('./pages/import/ImportPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const DistrictSchoolsPage = lazy(() => import('./pages/district/DistrictSchoolsPage'));
const AccountPage = lazy(() => import('./pages/account/AccountPage'));
const FamilyHome = lazy(() => import('./pages/family/FamilyHome'));
const ChildPage = lazy(() => import('./pages/family/ChildPage'));
const StaffHome = lazy(() => import('./pages/teacher/StaffHome'));
const PaymentsPage = lazy(() => import('./pages/payments/PaymentsPage'));
const PaymentReceiptPage = lazy(() => import('./pages/payments/ReceiptPage'));
const AccountsOfficePage = lazy(() => import('./pages/accounts/AccountsOfficePage'));
const PublicAccountsPage = lazy(() => import('./pages/accounts/PublicAccountsPage'));
const InvoicesPage = lazy(() => import('./pages/invoices/InvoicesPage'));
const FamilyReceiptPage = lazy(() => import('./pages/invoices/ReceiptPage'));
const BillingFeesPage = lazy(() => import('./pages/billing/FeesPage'));
const BillingInvoicesPage = lazy(() => import('./pages/billing/InvoicesPage'));
const BillingStatementPage = lazy(() => import('./pages/billing/StatementPage'));
const BillingWaiversPage = lazy(() => import('./pages/billing/WaiversPage'));
const BillingClosePage = lazy(() => import('./pages/billing/ClosePage'));
const ProvidersPage = lazy(() => import('./pages/billing/ProvidersPage'));
const NotFoundPage = lazy(() => import('./pages/login/NotFoundPage'));
const RollcallToday = lazy(() => import('./pages/rollcall/TodayPage'));
const RollcallGroup = lazy(() => import('./pages/rollcall/GroupPage'));
const DutyPage = lazy(() => import('./pages/duty/DutyPage'));
const LeavePage = lazy(() => import('./pages/leave/LeavePage'));
const LeaveStaffPage = lazy(() => import('./pages/leave/LeaveStaffPage'));
const SubstitutePage = lazy(() => import('./pages/leave/SubstitutePage'));
const HandoverPage = lazy(() => import('./pages/handover/HandoverPage'));
const CarelogPage = lazy(() => import('./pages/carelog/CarelogPage'));
const OutboxPage = lazy(() => import('./pages/outbox/OutboxPage'));
const GroupsPage = lazy(() => import('./pages/groups/GroupsPage'));
const RotaPage = lazy(() => import('./pages/rota/RotaPage'));
const MyRotaPage = lazy(() => import('./pages/rota/MyRotaPage'));
const PlansPage = lazy(() => import('./pages/plans/PlansPage'));
const PlanEditorPage = lazy(() => import('./pages/plans/PlanEditorPage'));
const NoticePage = lazy(() => import('./pages/plans/NoticePage'));
const FilingPage = lazy(() => import('./pages/filing/FilingPage'));
const ApplyIndex = lazy(() => import('./pages/apply/ApplyIndex'));
const ApplyPage = lazy(() => import('./pages/apply/ApplyPage'));
const NotificationsPage = lazy(() => import('./pages/apply/NotificationsPage'));
const ReviewPage = lazy(() => import('./pages/review/ReviewPage'));
const OfficeReviewPage = lazy(() => import('./pages/review/OfficeReviewPage'));
const EnrollmentPage = lazy(() => import('./pages/enrollment/EnrollmentPage'));
const SurveyOfficePage = lazy(() => import('./pages/survey/SurveyOfficePage'));
const SurveyAnswerPage = lazy(() => import('./pages/survey/SurveyAnswerPage'));
const ClassSurveyPage = lazy(() => import('./pages/survey/ClassSurveyPage'));
const LunchPage = lazy(() => import('./pages/lunch/LunchPage'));
const FamilyLunch = lazy(() => import('./pages/lunch/FamilyLunch'));
const SubsidiesPage = lazy(() => import('./pages/subsidies/SubsidiesPage'));
const FundingPage = lazy(() => import('./pages/funding/FundingPage'));

const page = (node: ReactNode, flag?: keyof Omit<Access, 'has'>) => (
  <Suspense fallback={<Loading />}>
    <RequireAuth flag={flag}>{node}</RequireAuth>
  </Suspense>
);

function Home() {
  const me = useMe();
  if (me.isLoading) return <Loading />;
  return <Navigate to={me.data ? homePath(me.data.active) : '/login'} replace />;
}

export const router = createBrowserRouter([
  { path: '/', element: <Home /> },
  {
    path: '/login',
    element: (
      <Suspense fallback={<Loading />}>
        <LoginPage />
      </Suspense>
    ),
  },
  // the term's published accounts (收支公示): public, no login
  {
    path: '/accounts/:schoolCode',
    element: (
      <Suspense fallback={<Loading />}>
        <PublicAccountsPage />
      </Suspense>
    ),
  },
  // the published plan (公示): public, no login
  {
    path: '/notice/:schoolCode',
    element: (
      <Suspense fallback={<Loading />}>
        <NoticePage />
      </Suspense>
    ),
  },
  {
    element: page(<DesktopLayout />),
    children: [
      { path: '/office/students', element: page(<StudentsPage />, 'roster') },
      { path: '/office/classes', element: page(<ClassesPage />, 'roster') },
      { path: '/office/staff', element: page(<StaffPage />, 'staff') },
      { path: '/office/school', element: page(<SchoolPage />, 'school') },
      { path: '/office/import', element: page(<ImportPage />, 'import') },
      { path: '/office/audit', element: page(<AuditPage />, 'audit') },
      { path: '/office/payments', element: page(<PaymentsPage />, 'payments') },
      { path: '/office/payments/:id/receipt', element: page(<PaymentReceiptPage />, 'payments') },
      { path: '/office/accounts', element: page(<AccountsOfficePage />, 'accounts') },
      { path: '/office/billing', element: page(<BillingInvoicesPage />, 'billing') },
      { path: '/office/billing/fees', element: page(<BillingFeesPage />, 'billing') },
      { path: '/office/billing/waivers', element: page(<BillingWaiversPage />, 'waivers') },
      { path: '/office/billing/close', element: page(<BillingClosePage />, 'billing') },
      { path: '/office/billing/:termId/students/:studentId', element: page(<BillingStatementPage />, 'billing') },
      { path: '/office/groups', element: page(<GroupsPage />, 'groups') },
      { path: '/office/rota', element: page(<RotaPage />, 'rota') },
      { path: '/office/duty', element: page(<DutyPage />, 'duty') },
      { path: '/office/outbox', element: page(<OutboxPage />, 'outbox') },
      { path: '/office/plans', element: page(<PlansPage />, 'plans') },
      { path: '/office/plans/:id', element: page(<PlanEditorPage />, 'plans') },
      { path: '/office/enrollment', element: page(<EnrollmentPage />, 'enrollment') },
      { path: '/office/review', element: page(<OfficeReviewPage />, 'enrollment') },
      { path: '/office/survey', element: page(<SurveyOfficePage />, 'surveyWrite') },
      { path: '/district/schools', element: page(<DistrictSchoolsPage />, 'district') },
      { path: '/district/filing', element: page(<FilingPage />, 'filing') },
      { path: '/district/providers', element: page(<ProvidersPage />, 'district') },
      { path: '/district/funding', element: page(<FundingPage />, 'funding') },
      { path: '/office/lunch', element: page(<LunchPage />, 'lunch') },
      { path: '/office/subsidies', element: page(<SubsidiesPage />, 'subsidies') },
      { path: '/account', element: page(<AccountPage />) },
    ],
  },
  {
    element: page(<MobileLayout />),
    children: [
      { path: '/m/family', element: page(<FamilyHome />, 'family') },
      { path: '/m/family/children/:id', element: page(<ChildPage />, 'family') },
      { path: '/m/family/lunch/:id', element: page(<FamilyLunch />, 'family') },
      { path: '/m/invoices', element: page(<InvoicesPage />, 'family') },
      { path: '/m/invoices/:studentId', element: page(<InvoicesPage />, 'family') },
      { path: '/m/receipts/:id', element: page(<FamilyReceiptPage />, 'family') },
      { path: '/m/staff', element: page(<StaffHome />, 'roster') },
      { path: '/m/rollcall', element: page(<RollcallToday />, 'rollcall') },
      { path: '/m/rollcall/:groupId', element: page(<RollcallGroup />, 'rollcall') },
      { path: '/m/duty', element: page(<DutyPage />, 'duty') },
      { path: '/m/leave', element: page(<LeaveStaffPage />, 'leaveDesk') },
      { path: '/m/leave/child/:studentId', element: page(<LeavePage />, 'family') },
      { path: '/m/substitute/:studentId', element: page(<SubstitutePage />, 'family') },
      { path: '/m/handover', element: page(<HandoverPage />, 'handover') },
      { path: '/m/rota', element: page(<MyRotaPage />, 'myRota') },
      { path: '/m/carelog', element: page(<CarelogPage />, 'notifications') },
      { path: '/m/apply', element: page(<ApplyIndex />, 'apply') },
      { path: '/m/apply/:studentId', element: page(<ApplyPage />, 'apply') },
      { path: '/m/notifications', element: page(<NotificationsPage />, 'notifications') },
      { path: '/m/review', element: page(<ReviewPage />, 'review') },
      { path: '/m/survey/:id', element: page(<SurveyAnswerPage />, 'surveyAnswer') },
      { path: '/m/class-survey', element: page(<ClassSurveyPage />, 'survey') },
      { path: '/m/account', element: page(<AccountPage mobile />) },
    ],
  },
  {
    path: '*',
    element: (
      <Suspense fallback={<Loading />}>
        <NotFoundPage />
      </Suspense>
    ),
  },
]);
