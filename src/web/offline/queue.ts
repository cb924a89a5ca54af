/**
 * Offline-first writes for the roll call. A tap makes the write and its idempotency key at once,
 * stores it in IndexedDB, and the queue sends the writes one by one in tap order. A network failure
 * (or a 5xx, or a lost session) stops the queue; it is retried when the phone is back online, every
 * 20 s while something waits, and on the next start. The server's once() makes a replay a no-op, so
 * a write sent twice (answer lost on the way back) is harmless. A refusal (4xx: day closed, release
 * refused…) is given to the tap that made it when it was sent at once; a write refused on a later
 * replay is kept as "refused" and shown to the teacher until they acknowledge it — never dropped.
 */
import { ApiError, api } from '../api';
import { addWrite, allWrites, deleteWrite, putWrite, type QueuedWrite } from './idb';

export type { QueuedWrite } from './idb';

export interface QueueState {
  online: boolean;
  syncing: boolean;
  /** writes of the signed-in account not yet accepted by the server, in tap order */
  waiting: QueuedWrite[];
  refused: QueuedWrite[];
  /** when the queue last became empty after sending something */
  syncedAt: number | null;
  /** the session ended while writes wait: sign in again to send them */
  needsLogin: boolean;
}

let account = '';
let state: QueueState = { online: navigator.onLine, syncing: false, waiting: [], refused: [], syncedAt: null, needsLogin: false };
const listeners = new Set<() => void>();
const afterSync = new Set<() => void>();
/** the taps of this page still waiting for their first answer */
const pending = new Map<string, { resolve: (r: Outcome) => void; reject: (e: unknown) => void }>();

export type Outcome = { sent: true; result: unknown } | { sent: false };

function set(patch: Partial<QueueState>) {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}
export const getQueueState = () => state;
export function subscribeQueue(l: () => void): () => void {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
}
/** Called after the queue sent something (the page refetches its roster). */
export function onSynced(l: () => void): () => void {
  afterSync.add(l);
  return () => {
    afterSync.delete(l);
  };
}

async function reload() {
  const all = (await allWrites()).filter((w) => w.account === account);
  set({ waiting: all.filter((w) => w.state === 'waiting'), refused: all.filter((w) => w.state === 'refused') });
}

/** The signed-in account: only its writes are sent (a shared phone never sends another teacher's taps). */
export async function setQueueAccount(id: string) {
  if (id === account) return;
  account = id;
  await reload();
  void flush();
}

const newKey = () =>
  crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;

/**
 * Records a write now (key made at the tap) and sends it when its turn comes. Resolves `{ sent: true }`
 * with the server's answer, or `{ sent: false }` when it waits for the network; rejects with the
 * server's refusal when it was sent at once.
 */
export async function submit(w: Pick<QueuedWrite, 'url' | 'body' | 'groupId' | 'kind' | 'label' | 'to'>): Promise<Outcome> {
  const write: QueuedWrite = { ...w, key: newKey(), account, at: Date.now(), state: 'waiting' };
  write.id = await addWrite(write);
  const answer = new Promise<Outcome>((resolve, reject) => pending.set(write.key, { resolve, reject }));
  set({ waiting: [...state.waiting, write] });
  void flush();
  return answer;
}

function settle(key: string, fn: (p: { resolve: (r: Outcome) => void; reject: (e: unknown) => void }) => void) {
  const p = pending.get(key);
  if (!p) return false;
  pending.delete(key);
  fn(p);
  return true;
}

/** Stops at the first write that cannot be sent now; everything after it waits in order. */
const retryable = (e: unknown) => !(e instanceof ApiError) || e.status === 0 || e.status >= 500 || e.status === 401 || e.code === 'CSRF';

let flushing: Promise<void> | null = null;
let rerun = false;
export function flush(): Promise<void> {
  if (!account) return Promise.resolve();
  if (flushing) {
    // a tap during the last round: look again when it ends
    rerun = true;
    return flushing;
  }
  flushing = (async () => {
    set({ syncing: true });
    let sent = 0;
    let refused = 0;
    try {
      const locks = (navigator as Navigator & { locks?: LockManager }).locks;
      // two tabs of the app on one phone take turns (a double send would still be a no-op)
      if (locks) await locks.request('kehou-write-queue', () => drain());
      else await drain();
    } finally {
      flushing = null;
      set({ syncing: false });
      if (rerun) {
        rerun = false;
        void flush();
      }
    }
    async function drain() {
      for (;;) {
        const next = (await allWrites()).find((w) => w.account === account && w.state === 'waiting');
        if (!next?.id) break;
        try {
          const result = await api('POST', next.url, next.body, { headers: { 'idempotency-key': next.key } });
          await deleteWrite(next.id);
          sent++;
          settle(next.key, (p) => p.resolve({ sent: true, result }));
          set({ online: true, needsLogin: false });
        } catch (e) {
          if (retryable(e)) {
            const status = e instanceof ApiError ? e.status : 0;
            set({ online: status !== 0 && navigator.onLine, needsLogin: status === 401 });
            // every tap waiting on this page learns that it is saved on the phone for later
            for (const w of (await allWrites()).filter((x) => x.state === 'waiting')) settle(w.key, (p) => p.resolve({ sent: false }));
            break;
          }
          const err = e as ApiError;
          // refused at once: the tap shows it; refused on a replay: kept for the teacher to see
          if (settle(next.key, (p) => p.reject(err))) await deleteWrite(next.id);
          else await putWrite({ ...next, state: 'refused', code: err.code, message: err.message });
          refused++;
        }
      }
    }
    await reload();
    if (sent > 0 && state.waiting.length === 0) set({ syncedAt: Date.now() });
    // the screen shows the server's state again: what was sent, and what a refusal left as it was
    if (sent + refused > 0) {
      for (const l of afterSync) l();
      // and once more a little later: right after the network returns a refetch may still get the cached answer
      setTimeout(() => {
        for (const l of afterSync) l();
      }, 3000);
    }
  })();
  return flushing;
}

/** The teacher has read a refusal. */
export async function acknowledge(id: number) {
  await deleteWrite(id);
  await reload();
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    set({ online: true });
    void flush();
  });
  window.addEventListener('offline', () => set({ online: false }));
  setInterval(() => {
    if (state.waiting.length && !flushing) void flush();
  }, 20_000);
}
