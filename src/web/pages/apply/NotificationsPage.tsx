/** 消息: the school's notices to me (review outcomes, waitlist offers, lottery results), unread first. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, ErrorBlock, List, NavBar, Skeleton } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { get, post } from '../../api';
import { type Dict, formatDateTime, useT } from '../../i18n';

export interface Inbox {
  items: { id: string; kind: string; title: string; body: string; link: string; createdAt: string; readAt: string | null }[];
  unread: number;
}

const dict: Dict = {
  zh: { title: '消息', none: '暂时没有消息', readAll: '全部已读' },
  en: { title: 'Messages', none: 'No messages yet', readAll: 'Mark all read' },
};

export function useInbox(enabled = true) {
  return useQuery({ queryKey: ['notifications'], queryFn: () => get<Inbox>('/notifications'), enabled, refetchInterval: 60_000 });
}

export default function NotificationsPage() {
  const t = useT(dict);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const q = useInbox();
  const read = useMutation({
    mutationFn: (id: string) => post(`/notifications/${id}/read`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const readAll = useMutation({
    mutationFn: () => post('/notifications/read-all'),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notifications'] }),
  });
  return (
    <div>
      <NavBar
        onBack={() => navigate(-1)}
        right={
          q.data?.unread ? (
            <Button size="mini" fill="none" onClick={() => readAll.mutate()}>
              {t('readAll')}
            </Button>
          ) : null
        }
      >
        {t('title')}
      </NavBar>
      {q.isLoading && <Skeleton.Paragraph lineCount={6} animated style={{ padding: 12 }} />}
      {q.error && <ErrorBlock status="default" description={(q.error as Error).message} />}
      {q.data?.items.length === 0 && <ErrorBlock status="empty" title={t('none')} description="" />}
      <List>
        {q.data?.items.map((n) => (
          <List.Item
            key={n.id}
            prefix={n.readAt ? <span style={{ width: 8, display: 'inline-block' }} /> : <Badge content={Badge.dot} />}
            description={
              <>
                {n.body && <div>{n.body}</div>}
                <div style={{ color: '#aaa', fontSize: 12 }}>{formatDateTime(n.createdAt)}</div>
              </>
            }
            arrowIcon={!!n.link}
            onClick={() => {
              if (!n.readAt) read.mutate(n.id);
              if (n.link) navigate(n.link === '/m/apply' ? '/m/apply' : n.link);
            }}
          >
            <span style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.title}</span>
          </List.Item>
        ))}
      </List>
    </div>
  );
}
