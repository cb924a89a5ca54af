/** The school's published term accounts (收支公示): public, no login, printable A4, with the history of versions. */
import { useQuery } from '@tanstack/react-query';
import { Button, Result, Select, Skeleton, Space } from 'antd';
import { useParams, useSearchParams } from 'react-router-dom';
import { get, qs } from '../../api';
import { type Dict, formatDate, useLocale, useT } from '../../i18n';
import { AccountsReport } from './AccountsReport';
import type { TermAccounts } from './types';

interface Published {
  school: { name: string; code: string };
  termId: string;
  version: number;
  note: string;
  publishedAt: string;
  report: TermAccounts;
  history: { termId: string; termName: string; version: number; publishedAt: string }[];
}

const dict: Dict = {
  zh: { print: '打印', history: '历次公示', none: '该校尚未公示学期收支', notice: '服务方案公示', lang: 'English' },
  en: {
    print: 'Print',
    history: 'Earlier versions',
    none: 'This school has not published its term accounts yet',
    notice: 'Published plan',
    lang: '中文',
  },
};

export default function PublicAccountsPage() {
  const t = useT(dict);
  const { locale, setLocale } = useLocale();
  const { schoolCode } = useParams();
  const [params, setParams] = useSearchParams();
  const termId = params.get('termId') ?? undefined;
  const version = params.get('version') ?? undefined;
  const q = useQuery({
    queryKey: ['public', 'accounts', schoolCode, termId, version],
    queryFn: () => get<Published>(`/public/accounts/${schoolCode}${qs({ termId, version })}`),
    retry: false,
  });
  if (q.isLoading) return <Skeleton active style={{ padding: 24 }} />;
  if (q.error || !q.data) return <Result status="404" title={t('none')} subTitle={(q.error as Error)?.message} />;
  const d = q.data;
  return (
    <div style={{ background: '#f5f5f5', minHeight: '100vh', paddingBottom: 24 }}>
      <div className="accounts-toolbar">
        <Space wrap>
          <Select
            aria-label={t('history')}
            style={{ minWidth: 280 }}
            value={`${d.termId}:${d.version}`}
            onChange={(v) => {
              const [tid, ver] = v.split(':');
              setParams({ termId: tid, version: ver });
            }}
            options={d.history.map((h) => ({
              value: `${h.termId}:${h.version}`,
              label: `${h.termName} · v${h.version} · ${formatDate(h.publishedAt, locale)}`,
            }))}
          />
          <Button onClick={() => window.print()}>{t('print')}</Button>
          <Button type="link" href={`/notice/${d.school.code}`}>
            {t('notice')}
          </Button>
          <Button type="link" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
            {t('lang')}
          </Button>
        </Space>
      </div>
      <AccountsReport report={d.report} version={d.version} publishedAt={d.publishedAt} />
      {d.note && <p style={{ maxWidth: '210mm', margin: '8px auto', padding: '0 14mm' }}>{d.note}</p>}
    </div>
  );
}
