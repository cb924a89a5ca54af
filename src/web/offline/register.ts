/** Registers the service worker (public/sw.js) in the built app; dev servers stay uncached. */
export function registerServiceWorker() {
  const env = (import.meta as ImportMeta & { env?: { PROD?: boolean } }).env;
  if (!env?.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // without a service worker the app still works online; the write queue works either way
    });
  });
}
