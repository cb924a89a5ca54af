/** React side of the write queue: its state for the banner, and the queued writes of one group. */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useMe } from '../auth';
import { getQueueState, type QueueState, setQueueAccount, subscribeQueue } from './queue';

export function useQueueState(): QueueState {
  const me = useMe();
  const id = me.data?.account.id;
  useEffect(() => {
    if (id) void setQueueAccount(id);
  }, [id]);
  return useSyncExternalStore(subscribeQueue, getQueueState);
}

/** The writes of a group still waiting for the server, in tap order. */
export function useGroupPending(groupId: string | undefined) {
  const { waiting } = useQueueState();
  return useMemo(() => waiting.filter((w) => w.groupId === groupId), [waiting, groupId]);
}
