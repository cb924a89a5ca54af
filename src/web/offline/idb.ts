/**
 * The phone's write queue in IndexedDB (not localStorage: it survives a closed tab and a restarted
 * phone alike, is not capped at a few MB shared with everything else, and is transactional).
 */
export interface QueuedWrite {
  id?: number;
  /** the idempotency key, made when the teacher tapped */
  key: string;
  /** the account that tapped: another account signed in on the same phone never sends it */
  account: string;
  /** API path after /api, e.g. /daily/groups/<id>/attendance */
  url: string;
  body: unknown;
  groupId: string;
  kind: 'mark' | 'all-present' | 'release' | 'relay' | 'checkin';
  /** what the teacher did, in words (shown when it waits or is refused) */
  label: string;
  /** a release: whom the pupil went with, shown on the roster until the server answers (else the label) */
  to?: string;
  at: number;
  state: 'waiting' | 'refused';
  /** the server's refusal on replay */
  code?: string;
  message?: string;
}

const DB = 'kehou-offline';
const STORE = 'writes';
let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opening = null;
      reject(req.error);
    };
  });
  return opening;
}

async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** Every write in tap order (auto-increment ids). */
export const allWrites = () => run<QueuedWrite[]>('readonly', (s) => s.getAll());
export const addWrite = (w: QueuedWrite) => run<IDBValidKey>('readwrite', (s) => s.add(w)).then((id) => id as number);
export const putWrite = (w: QueuedWrite) => run('readwrite', (s) => s.put(w));
export const deleteWrite = (id: number) => run('readwrite', (s) => s.delete(id));
