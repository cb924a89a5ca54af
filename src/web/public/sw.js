/* Kehou service worker (hand-written, no build step): keeps the roll call usable without network.
 *
 * - App shell: navigations are network-first and fall back to the cached index.html; the built,
 *   content-hashed /assets/* files are cache-first (precached at install from index.html, the
 *   lazily loaded chunks cached the first time they are fetched).
 * - Today's data: GET /api/auth/me, GET /api/daily/* and the release dialog's afternoon reads of a
 *   group today (GET /api/afternoon/groups/*: notes, leave, substitutes) are network-first; when the
 *   network fails the last answer is served, marked with the header x-kehou-offline: 1.
 * - Writes are never cached or replayed here: the page keeps them in an IndexedDB queue
 *   (src/web/offline/queue.ts) and sends them itself with their idempotency keys.
 * - Signing out (POST /api/auth/logout) empties the data cache: no pupil data stays on a shared phone.
 */
const VERSION = 'kehou-v1';
const SHELL = `${VERSION}-shell`;
const DATA = `${VERSION}-data`;

const cachedApi = (url) =>
  url.pathname === '/api/auth/me' || url.pathname.startsWith('/api/daily/') || url.pathname.startsWith('/api/afternoon/groups/');

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      const res = await fetch('/index.html', { cache: 'no-store' });
      if (res.ok) {
        const html = await res.clone().text();
        await cache.put('/index.html', res);
        const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
        await cache.addAll([...new Set(assets), '/manifest.webmanifest', '/icons/icon-192.png']);
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (!name.startsWith(VERSION)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

async function networkFirst(request, cacheName, fallbackKey) {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(fallbackKey ?? request, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(fallbackKey ?? request);
    if (!hit) throw err;
    const headers = new Headers(hit.headers);
    headers.set('x-kehou-offline', '1');
    return new Response(await hit.blob(), { status: hit.status, statusText: hit.statusText, headers });
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === '/api/auth/logout') {
    event.waitUntil(caches.delete(DATA));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, SHELL, '/index.html'));
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/icons/')) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (url.pathname.startsWith('/api/')) {
    // the live event stream and everything else go straight to the network
    if (cachedApi(url) && url.pathname !== '/api/daily/events') event.respondWith(networkFirst(request, DATA));
  }
});
