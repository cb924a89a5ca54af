/**
 * The care log on a phone (/m/carelog): incidents waiting for my acknowledgement (anyone told of
 * one), and for the care teacher, per group of today: the session's activity record and the
 * incident report (受伤/不适/冲突) that tells guardians and escalates at once.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, ErrorBlock, NavBar, Selector, Skeleton, Tabs, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { accessOf } from '../../access';
import { get, post } from '../../api';
import { useMe } from '../../auth';
import { type Dict, useT } from '../../i18n';
import type { Incident } from '../duty/carelog-types';
import { SEVERITY_COLOR } from '../duty/carelog-types';
import { incidentDict } from '../duty/IncidentsPanel';
import type { Today } from '../rollcall/types';
import { ActivityForm } from './ActivityForm';
import { IncidentForm } from './IncidentForm';

const dict: Dict = {
  zh: {
    title: '托管记录',
    toAck: '待我确认的事件',
    noGroups: '今天没有安排您带的托管组',
    activity: '活动记录',
    incident: '报告事件',
    today: '今日事件',
    none: '暂无',
    acked: '已确认',
    ackDone: '已确认知悉',
  },
  en: {
    title: 'Care log',
    toAck: 'Incidents to acknowledge',
    noGroups: 'No care group for you today',
    activity: 'Activity',
    incident: 'Report incident',
    today: "Today's incidents",
    none: 'None',
    acked: 'Acknowledged',
    ackDone: 'Acknowledged',
  },
};

function IncidentCard({ i, onAck }: { i: Incident; onAck?: () => void }) {
  const t = useT(incidentDict);
  return (
    <Card style={{ margin: '8px 12px', border: i.severity === 'minor' ? undefined : '1px solid #ffccc7' }}>
      <div style={{ display: 'flex', gap: 6, flexWrap: 'wrap', alignItems: 'center' }}>
        <Tag color={SEVERITY_COLOR[i.severity] === 'red' ? 'danger' : 'warning'}>{t(i.severity)}</Tag>
        <b>{i.pupils.map((p) => p.name).join('、')}</b>
        <span>{t(i.kind)}</span>
        <Tag color={i.status === 'open' ? 'primary' : 'default'}>{t(i.status)}</Tag>
        {i.level > 1 && <Tag color="danger">{t('escalated')}</Tag>}
      </div>
      <div style={{ marginTop: 6 }}>{i.description}</div>
      {i.outcome && <div style={{ color: '#389e0d', marginTop: 4 }}>✔ {i.outcome}</div>}
      <div style={{ color: '#999', fontSize: 12, marginTop: 4 }}>
        {t('reported', { who: i.reportedBy ?? '', t: new Date(i.reportedAt).toTimeString().slice(0, 5) })}
      </div>
      {onAck && (
        <Button block color="primary" size="large" style={{ marginTop: 8 }} onClick={onAck} data-testid="incident-ack">
          {t('ack')}
        </Button>
      )}
    </Card>
  );
}

export default function CarelogPage() {
  const t = useT(dict);
  const qc = useQueryClient();
  const access = accessOf(useMe().data);
  const pending = useQuery({
    queryKey: ['carelog-pending'],
    queryFn: () => get<{ incidents: Incident[] }>('/carelog/incidents/pending-ack'),
  });
  const today = useQuery({ queryKey: ['daily-today', 'mine'], enabled: access.carelog, queryFn: () => get<Today>('/daily/today?mine=1') });
  const mine = useQuery({
    queryKey: ['carelog-incidents'],
    enabled: access.carelog,
    queryFn: () => get<{ incidents: Incident[] }>('/carelog/incidents'),
  });
  const [groupId, setGroupId] = useState<string | null>(null);
  const groups = today.data?.groups ?? [];
  useEffect(() => {
    if (!groupId && groups.length) setGroupId(groups[0].id);
  }, [groupId, groups]);
  const ack = useMutation({
    mutationFn: (id: string) => post(`/carelog/incidents/${id}/ack`),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('ackDone') });
      qc.invalidateQueries({ queryKey: ['carelog-pending'] });
    },
    onError: (e: Error) => Toast.show({ content: e.message }),
  });
  const toAck = pending.data?.incidents.filter((i) => i.recipients.some((r) => r.me && !r.acknowledgedAt)) ?? [];
  return (
    <div style={{ paddingBottom: 16 }}>
      <NavBar backIcon={false}>{t('title')}</NavBar>
      {pending.error && <ErrorBlock status="default" description={(pending.error as Error).message} />}
      {toAck.length > 0 && (
        <>
          <div style={{ padding: '8px 12px 0', color: '#cf1322', fontWeight: 600 }}>
            {t('toAck')} ({toAck.length})
          </div>
          {toAck.map((i) => (
            <IncidentCard key={i.id} i={i} onAck={() => ack.mutate(i.id)} />
          ))}
        </>
      )}
      {access.carelog && (
        <>
          {today.isLoading && <Skeleton.Paragraph lineCount={5} animated style={{ padding: 12 }} />}
          {today.error && <ErrorBlock status="default" description={(today.error as Error).message} />}
          {today.data && groups.length === 0 && <ErrorBlock status="empty" description={t('noGroups')} />}
          {groups.length > 1 && (
            <div style={{ padding: '8px 12px' }}>
              <Selector
                columns={2}
                options={groups.map((g) => ({ value: g.id, label: `${g.offeringName} ${g.index}组` }))}
                value={groupId ? [groupId] : []}
                onChange={(v) => v[0] && setGroupId(v[0])}
              />
            </div>
          )}
          {groupId && (
            <Tabs defaultActiveKey="incident">
              <Tabs.Tab title={t('incident')} key="incident">
                <IncidentForm groupId={groupId} />
              </Tabs.Tab>
              <Tabs.Tab title={t('activity')} key="activity">
                <ActivityForm groupId={groupId} />
              </Tabs.Tab>
              <Tabs.Tab title={t('today')} key="today">
                {(mine.data?.incidents ?? []).length === 0 && <ErrorBlock status="empty" description={t('none')} />}
                {mine.data?.incidents.map((i) => (
                  <IncidentCard key={i.id} i={i} />
                ))}
              </Tabs.Tab>
            </Tabs>
          )}
        </>
      )}
      {!access.carelog && toAck.length === 0 && !pending.isLoading && <ErrorBlock status="empty" description={t('none')} />}
    </div>
  );
}
