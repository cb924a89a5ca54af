/**
 * The homeroom teacher's class view of the needs survey, on the phone: who has not answered (with
 * a number to call), the answers, and the class's demand per weekday and slot.
 */
import { useQuery } from '@tanstack/react-query';
import { ErrorBlock, List, NavBar, Popup, ProgressBar, Selector, Skeleton, Tabs, Tag } from 'antd-mobile';
import { PhoneFill } from 'antd-mobile-icons';
import { useState } from 'react';
import { SLOTS, WEEKDAYS } from '../../../shared/plans';
import { get } from '../../api';
import { useMe } from '../../auth';
import { formatDateTime, useT } from '../../i18n';
import { daysSummary, dict } from './dict';
import type { Answers, DemandView, PupilAnswer, SurveyList } from './types';
import { WeekGrid } from './WeekGrid';

export default function ClassSurveyPage() {
  const t = useT(dict);
  const me = useMe().data;
  const [picked, setPicked] = useState<string | null>(null);
  const [open, setOpen] = useState<PupilAnswer | null>(null);
  const list = useQuery({ queryKey: ['surveys', me?.active?.id], queryFn: () => get<SurveyList>('/surveys') });
  const visible = (list.data?.items ?? []).filter((s) => s.status !== 'draft');
  const surveyId = picked ?? (visible.find((s) => s.status === 'open') ?? visible[0])?.id;
  const answers = useQuery({
    queryKey: ['survey-answers', surveyId],
    queryFn: () => get<Answers>(`/surveys/${surveyId}/answers`),
    enabled: !!surveyId,
  });
  const demand = useQuery({
    queryKey: ['survey-demand', surveyId],
    queryFn: () => get<DemandView>(`/surveys/${surveyId}/demand`),
    enabled: !!surveyId,
  });

  const a = answers.data;
  const n = a?.pupils ?? 0;
  const done = a?.answered.length ?? 0;
  return (
    <div>
      <NavBar backIcon={false}>{t('classTitle')}</NavBar>
      {list.isLoading && <Skeleton.Paragraph lineCount={8} animated style={{ padding: 12 }} />}
      {list.error && <ErrorBlock status="default" description={(list.error as Error).message} />}
      {list.data && visible.length === 0 && <ErrorBlock status="empty" description={t('noSurvey')} />}
      {visible.length > 1 && (
        <div style={{ padding: '8px 12px' }}>
          <Selector
            columns={1}
            value={surveyId ? [surveyId] : []}
            onChange={(v) => v[0] && setPicked(v[0])}
            options={visible.map((s) => ({ value: s.id, label: s.title, description: t(`status_${s.status}`) }))}
          />
        </div>
      )}
      {answers.isLoading && surveyId && <Skeleton.Paragraph lineCount={8} animated style={{ padding: 12 }} />}
      {answers.error && <ErrorBlock status="default" description={(answers.error as Error).message} />}
      {a && (
        <>
          <div style={{ background: '#fff', margin: 12, padding: 14, borderRadius: 12 }}>
            <div style={{ fontSize: 16, fontWeight: 600 }}>
              {a.survey.title} <Tag color={a.survey.accepting ? 'success' : 'default'}>{t(`status_${a.survey.status}`)}</Tag>
            </div>
            <div style={{ margin: '10px 0 6px', fontSize: 14, color: '#555' }}>{t('progress', { a: done, n })}</div>
            <ProgressBar percent={n === 0 ? 0 : (done / n) * 100} style={{ '--track-width': '8px' }} />
          </div>
          <Tabs defaultActiveKey="missing" style={{ background: '#fff' }}>
            <Tabs.Tab key="missing" title={t('tabMissing', { n: a.missing.length })}>
              {a.missing.length === 0 && <ErrorBlock status="empty" title={t('allAnswered')} description="" />}
              <List style={{ '--border-top': 'none' }}>
                {a.missing.map((p) => (
                  <List.Item
                    key={p.studentId}
                    description={p.guardian ? `${p.guardian.name}（${p.guardian.relation}）${p.guardian.phone}` : t('noGuardian')}
                    extra={
                      p.guardian ? (
                        <a
                          href={`tel:${p.guardian.phone}`}
                          aria-label={`${t('call')} ${p.guardian.name}`}
                          style={{ display: 'inline-flex', alignItems: 'center', gap: 4, padding: '10px 6px', fontSize: 15 }}
                        >
                          <PhoneFill /> {t('call')}
                        </a>
                      ) : undefined
                    }
                  >
                    {p.name} <span style={{ color: '#999', fontSize: 13 }}>{p.studentNo}</span>
                  </List.Item>
                ))}
              </List>
            </Tabs.Tab>
            <Tabs.Tab key="answered" title={t('tabAnswered', { n: done })}>
              <List style={{ '--border-top': 'none' }}>
                {a.answered.map((p) => (
                  <List.Item
                    key={p.studentId}
                    arrowIcon
                    onClick={() => setOpen(p)}
                    description={p.answer ? daysSummary(p.answer.days, t) : ''}
                  >
                    {p.name} {p.answer?.lunch && <Tag fill="outline">{t('lunch')}</Tag>}
                  </List.Item>
                ))}
              </List>
            </Tabs.Tab>
            <Tabs.Tab key="summary" title={t('tabSummary')}>
              <ClassSummary view={demand.data} />
            </Tabs.Tab>
          </Tabs>
        </>
      )}
      <Popup
        visible={!!open}
        onMaskClick={() => setOpen(null)}
        bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: '85vh', overflowY: 'auto' }}
      >
        {open?.answer && (
          <div style={{ padding: 16 }}>
            <div style={{ fontSize: 18, fontWeight: 600 }}>{open.name}</div>
            <div style={{ color: '#888', fontSize: 13, margin: '4px 0 12px' }}>
              {t('answeredBy', { who: open.answer.answeredBy, at: formatDateTime(open.answer.answeredAt) })}
            </div>
            <WeekGrid value={open.answer.days} />
            <List style={{ '--padding-left': '0' }}>
              <List.Item title={t('interests')}>{open.answer.interests.map((c) => t(`cat_${c}`)).join('、') || '—'}</List.Item>
              <List.Item title={t('pickupTime')}>{open.answer.pickupTime ?? t('pickupUnknown')}</List.Item>
              <List.Item title={t('lunch')}>{open.answer.lunch ? t('yes') : t('no')}</List.Item>
              {open.answer.note && <List.Item title={t('note')}>{open.answer.note}</List.Item>}
            </List>
          </div>
        )}
      </Popup>
    </div>
  );
}

function ClassSummary({ view }: { view?: DemandView }) {
  const t = useT(dict);
  if (!view) return <Skeleton.Paragraph lineCount={5} animated style={{ padding: 12 }} />;
  const count = (weekday: number, slot: string) => view.demand.slots.find((s) => s.weekday === weekday && s.slot === slot)?.pupils ?? 0;
  const th = { padding: '8px 4px', fontWeight: 600, fontSize: 13, color: '#666', textAlign: 'center' as const };
  return (
    <div style={{ padding: 12 }}>
      <div style={{ color: '#888', fontSize: 13, marginBottom: 8 }}>{t('summaryHint')}</div>
      <table style={{ width: '100%', borderCollapse: 'collapse', background: '#fff' }}>
        <thead>
          <tr>
            <th style={{ ...th, textAlign: 'left' }}>{t('slotCol')}</th>
            {WEEKDAYS.map((d) => (
              <th key={d} style={th}>
                {t(`wd_${d}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {SLOTS.map((s) => (
            <tr key={s} style={{ borderTop: '1px solid #f0f0f0' }}>
              <td style={{ padding: '10px 4px', fontSize: 14 }}>{t(`short_${s}`)}</td>
              {WEEKDAYS.map((d) => (
                <td
                  key={d}
                  style={{
                    textAlign: 'center',
                    fontSize: 16,
                    fontWeight: count(d, s) > 0 ? 600 : 400,
                    color: count(d, s) > 0 ? '#1677ff' : '#ccc',
                  }}
                >
                  {count(d, s)}
                </td>
              ))}
            </tr>
          ))}
          <tr style={{ borderTop: '1px solid #f0f0f0' }}>
            <td style={{ padding: '10px 4px', fontSize: 14 }}>{t('dayLunch')}</td>
            {view.demand.days.map((d) => (
              <td key={d.weekday} style={{ textAlign: 'center', fontSize: 15 }}>
                {d.lunch}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
