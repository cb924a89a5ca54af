/** 学期与方案: the school's terms (dates, calendar, each term's plan) and its service venues. */
import { Card, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { accessOf } from '../../access';
import { useMe } from '../../auth';
import { useT } from '../../i18n';
import { dict } from './dict';
import { TermsPanel } from './TermsPanel';
import { VenuesPanel } from './VenuesPanel';

export default function PlansPage() {
  const t = useT(dict);
  const access = accessOf(useMe().data);
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'venues' ? 'venues' : 'terms';
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'venues' ? { tab: k } : {})}
        items={[
          { key: 'terms', label: t('tabTerms'), children: <TermsPanel canWrite={access.has('term.write')} /> },
          { key: 'venues', label: t('tabVenues'), children: <VenuesPanel canWrite={access.has('venue.write')} /> },
        ]}
      />
    </Card>
  );
}
