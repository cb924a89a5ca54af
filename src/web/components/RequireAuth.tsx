import { Navigate, useLocation } from 'react-router-dom';
import type { ReactNode } from 'react';
import { type Access, accessOf } from '../access';
import { useMe } from '../auth';
import { ErrorState, Loading } from './PageState';
import { Result } from 'antd';

/** Renders children for a signed-in actor with the access flag; guardians must accept the notice first. */
export function RequireAuth({ children, flag }: { children: ReactNode; flag?: keyof Omit<Access, 'has'> }) {
  const me = useMe();
  const location = useLocation();
  if (me.isLoading) return <Loading />;
  if (me.error) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (flag && !accessOf(me.data)[flag])
    return <Result status="403" title="没有权限访问此页面" subTitle="请切换到有权限的身份，或联系学校管理员。" />;
  return <>{children}</>;
}
