/** Loading, error and empty states that say what to do next. */
import { Button, Empty, Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { ApiError } from '../api';
import { useT } from '../i18n';

export function Loading({ rows = 6 }: { rows?: number }) {
  return <Skeleton active paragraph={{ rows }} style={{ padding: 24 }} />;
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const message = error instanceof ApiError ? error.message : '出错了，请稍后再试';
  const status =
    error instanceof ApiError && error.status === 404 ? '404' : error instanceof ApiError && error.status === 403 ? '403' : 'error';
  return <Result status={status} title={message} extra={onRetry ? <Button onClick={onRetry}>{t('retry')}</Button> : undefined} />;
}

export function EmptyState({ description, action }: { description: ReactNode; action?: ReactNode }) {
  return (
    <Empty description={description} style={{ padding: 32 }}>
      {action}
    </Empty>
  );
}
