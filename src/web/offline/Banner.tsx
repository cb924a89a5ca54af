/**
 * The roll call's network banner: offline (and how many taps wait on the phone), syncing, synced,
 * and every write the server refused on replay, until the teacher has read it.
 */
import { Button, NoticeBar } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { type Dict, useT } from '../i18n';
import { useQueueState } from './hooks';
import { acknowledge, flush } from './queue';

const dict: Dict = {
  zh: {
    offline: '离线：点名照常进行，已保存在本机',
    offlineN: '离线：{n} 条待同步，已保存在本机，联网后自动同步',
    waiting: '{n} 条待同步',
    syncing: '正在同步 {n} 条…',
    synced: '已全部同步',
    login: '登录已过期：重新登录后同步 {n} 条',
    retry: '立即同步',
    refused: '未能同步：{what}。{why}',
    ok: '知道了',
  },
  en: {
    offline: 'Offline: roll call keeps working, saved on this phone',
    offlineN: 'Offline: {n} waiting, saved on this phone, sent when back online',
    waiting: '{n} waiting',
    syncing: 'Syncing {n}…',
    synced: 'All synced',
    login: 'Session expired: sign in again to send {n}',
    retry: 'Sync now',
    refused: 'Not saved: {what}. {why}',
    ok: 'OK',
  },
};

export function OfflineBanner() {
  const t = useT(dict);
  const q = useQueueState();
  const n = q.waiting.length;
  const [recent, setRecent] = useState(false);
  useEffect(() => {
    if (!q.syncedAt) return;
    setRecent(true);
    const timer = setTimeout(() => setRecent(false), 4000);
    return () => clearTimeout(timer);
  }, [q.syncedAt]);

  let line: { color: 'alert' | 'error' | 'info' | 'default'; text: string; retry?: boolean } | null = null;
  if (q.needsLogin && n) line = { color: 'error', text: t('login', { n }) };
  else if (!q.online) line = { color: 'alert', text: n ? t('offlineN', { n }) : t('offline') };
  else if (n && q.syncing) line = { color: 'info', text: t('syncing', { n }) };
  else if (n) line = { color: 'alert', text: t('waiting', { n }), retry: true };
  else if (recent) line = { color: 'info', text: t('synced') };

  return (
    <div data-testid="offline-banner" aria-live="polite">
      {line && (
        <NoticeBar
          color={line.color}
          content={line.text}
          wrap
          extra={
            line.retry ? (
              <Button size="mini" onClick={() => void flush()}>
                {t('retry')}
              </Button>
            ) : undefined
          }
        />
      )}
      {q.refused.map((w) => (
        <NoticeBar
          key={w.id}
          color="error"
          wrap
          content={t('refused', { what: w.label, why: w.message ?? '' })}
          extra={
            <Button size="mini" onClick={() => void (w.id && acknowledge(w.id))}>
              {t('ok')}
            </Button>
          }
        />
      ))}
    </div>
  );
}
