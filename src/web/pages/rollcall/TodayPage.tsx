/** The care teacher's today: my groups with time and room, 我已到岗 for each, then into the roll call. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, ErrorBlock, NavBar, Skeleton, Tag, Toast } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { get } from '../../api';
import { type Dict, useLocale, useT } from '../../i18n';
import { OfflineBanner } from '../../offline/Banner';
import { useQueueState } from '../../offline/hooks';
import { DutyTodayNotice } from '../teacher/DutyTodayNotice';
import { submit } from '../../offline/queue';
import { hhmm, SLOT_EN, SLOT_ZH, type Today } from './types';

const dict: Dict = {
  zh: {
    title: '今日托管',
    checkin: '我已到岗',
    checkedIn: '已到岗 {t}',
    none: '今天没有安排您带的托管组',
    weekend: '今天是周末，没有托管服务',
    holiday: '今天放假，没有托管服务',
    no_term: '今天不在学期内',
    room: '教室',
    pupils: '应到 {n} 人 · 已点名 {m}',
    open: '点名 / 交接',
    closed: '今日已结束',
  },
  en: {
    title: 'Today',
    checkin: "I'm here",
    checkedIn: 'Checked in {t}',
    none: 'No care group for you today',
    weekend: 'Weekend: no service today',
    holiday: 'Holiday: no service today',
    no_term: 'Today is outside the term',
    room: 'Room',
    pupils: '{n} expected · {m} marked',
    open: 'Roll call / hand-over',
    closed: 'Day closed',
  },
};

export default function TodayPage() {
  const t = useT(dict);
  const { locale } = useLocale();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const today = useQuery({ queryKey: ['daily-today', 'mine'], queryFn: () => get<Today>('/daily/today?mine=1') });
  // 我已到岗 goes through the phone's write queue too: recorded at the tap, sent when the network allows
  const { waiting } = useQueueState();
  const checkin = useMutation({
    networkMode: 'always',
    mutationFn: (id: string) => submit({ kind: 'checkin', url: `/daily/groups/${id}/checkin`, body: {}, groupId: id, label: t('checkin') }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['daily-today'] }),
    onError: (e: Error) => Toast.show({ content: e.message }),
  });
  const d = today.data && {
    ...today.data,
    groups: today.data.groups.map((g) => {
      const queued = waiting.find((w) => w.kind === 'checkin' && w.groupId === g.id);
      return queued && !g.checkedInAt ? { ...g, checkedInAt: new Date(queued.at).toISOString() } : g;
    }),
  };
  return (
    <div>
      <NavBar backIcon={false}>
        {t('title')} {d?.day ?? ''}
      </NavBar>
      <OfflineBanner />
      <DutyTodayNotice />
      {today.isLoading && <Skeleton.Paragraph lineCount={6} animated style={{ padding: 12 }} />}
      {today.error && <ErrorBlock status="default" description={(today.error as Error).message} />}
      {d?.reason && <ErrorBlock status="empty" description={t(d.reason)} />}
      {d && !d.reason && d.groups.length === 0 && <ErrorBlock status="empty" description={t('none')} />}
      {d?.closed && (
        <div style={{ padding: '8px 12px' }}>
          <Tag color="default">{t('closed')}</Tag>
        </div>
      )}
      <div style={{ padding: 12, display: 'grid', gap: 12 }}>
        {d?.groups.map((g) => (
          <Card
            key={g.id}
            title={`${(locale === 'en' ? SLOT_EN : SLOT_ZH)[g.slot] ?? g.slot} · ${g.offeringName} ${g.index}组`}
            extra={<span style={{ color: '#1677ff', fontWeight: 600 }}>{g.time ?? ''}</span>}
          >
            <div style={{ fontSize: 16, marginBottom: 8 }}>
              {t('room')}：{g.venueName ?? '—'} · {g.campusName}
            </div>
            <div style={{ color: '#666', marginBottom: 12 }}>{t('pupils', { n: g.expected, m: g.marked })}</div>
            <div style={{ display: 'flex', gap: 8 }}>
              {g.checkedInAt ? (
                <Tag color="success" style={{ fontSize: 15, padding: '8px 10px' }}>
                  {t('checkedIn', { t: hhmm(g.checkedInAt) })}
                </Tag>
              ) : (
                <Button color="success" size="large" loading={checkin.isPending} disabled={d.closed} onClick={() => checkin.mutate(g.id)}>
                  {t('checkin')}
                </Button>
              )}
              <Button color="primary" size="large" style={{ flex: 1 }} onClick={() => navigate(`/m/rollcall/${g.id}`)}>
                {t('open')}
              </Button>
            </div>
          </Card>
        ))}
      </div>
    </div>
  );
}
