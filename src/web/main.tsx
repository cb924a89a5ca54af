import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { ConfigProvider as MobileConfig, unstableSetRender } from 'antd-mobile';
import mobileEn from 'antd-mobile/es/locales/en-US';
import mobileZh from 'antd-mobile/es/locales/zh-CN';
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { RouterProvider } from 'react-router-dom';
import { ApiError } from './api';
import { LocaleProvider, useLocale } from './i18n';
import { registerServiceWorker } from './offline/register';
import { router } from './routes';

// antd-mobile 5 renders Toast and Dialog with the legacy ReactDOM.render, which React 19 removed
// ("g is not a function" when a toast closes): give it createRoot (https://mobile.ant.design/guide/v5-for-19).
unstableSetRender((node, container) => {
  const c = container as (Element | DocumentFragment) & { _reactRoot?: Root };
  c._reactRoot ??= createRoot(container);
  const root = c._reactRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    c._reactRoot = undefined;
  };
});

registerServiceWorker();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
      refetchOnWindowFocus: false,
      // ask even when the phone says it is offline: the service worker answers from its cache (roll call offline)
      networkMode: 'offlineFirst',
    },
  },
});

function Providers() {
  const { locale } = useLocale();
  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 8 } }}>
      <MobileConfig locale={locale === 'en' ? mobileEn : mobileZh}>
        <AntApp>
          <RouterProvider router={router} />
        </AntApp>
      </MobileConfig>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <Providers />
      </LocaleProvider>
    </QueryClientProvider>
  </StrictMode>,
);
