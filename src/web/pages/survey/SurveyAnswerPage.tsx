/**
 * The guardian answers the needs survey on the phone, per child: a Monday–Friday × slot grid of
 * toggles, interests, the usual pick-up time, lunch and a note. Once submitted it shows "已提交"
 * and can be changed while the survey is open.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, ErrorBlock, List, NavBar, Selector, Skeleton, Switch, Tag, TextArea, Toast } from 'antd-mobile';
import { CheckCircleFill } from 'antd-mobile-icons';
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { CATEGORIES } from '../../../shared/plans';
import { GRADE_LABELS } from '../../../shared/roster';
import { normalizeDays, type SurveyDays } from '../../../shared/survey';
import { ApiError, api, get } from '../../api';
import { useMe } from '../../auth';
import { formatDate, formatDateTime, useLocale, useT } from '../../i18n';
import { ConsentNotice } from '../family/ConsentNotice';
import { daysSummary, dict } from './dict';
import type { Answer, FamilySurvey } from './types';
import { WeekGrid } from './WeekGrid';

const TIMES = ['16:00', '16:30', '17:00', '17:30', '18:00', '18:30'];
const UNKNOWN = 'unknown';

export default function SurveyAnswerPage() {
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const t = useT(dict);
  const { locale } = useLocale();
  const me = useMe().data;
  const navigate = useNavigate();
  const survey = useQuery({
    queryKey: ['family', 'survey', me?.active?.id, id],
    queryFn: () => get<FamilySurvey>(`/family/surveys/${id}`),
    enabled: !!me && !me.consentRequired,
  });
  const [editing, setEditing] = useState<string | null>(null);

  if (me?.consentRequired) return <ConsentNotice />;
  if (survey.isLoading) return <Skeleton.Paragraph lineCount={10} animated style={{ padding: 12 }} />;
  if (survey.error || !survey.data)
    return (
      <div>
        <NavBar onBack={() => navigate('/m/family')}>{t('pageTitle')}</NavBar>
        <ErrorBlock status="default" description={(survey.error as Error)?.message} />
      </div>
    );
  const s = survey.data;
  const childId =
    params.get('child') && s.children.some((c) => c.id === params.get('child'))
      ? params.get('child')
      : (s.children.find((c) => !c.answer) ?? s.children[0])?.id;
  const child = s.children.find((c) => c.id === childId);
  const showForm = !!child && s.accepting && (!child.answer || editing === child.id);

  return (
    <div style={{ background: '#fff', minHeight: '100%' }}>
      <NavBar onBack={() => navigate('/m/family')}>{t('pageTitle')}</NavBar>
      <div style={{ padding: '12px 16px 4px' }}>
        <div style={{ fontSize: 18, fontWeight: 600, lineHeight: 1.4 }}>{s.title}</div>
        {s.closesAt && (
          <div style={{ color: '#888', fontSize: 13, marginTop: 4 }}>
            {t('closesAt', { date: `${formatDate(s.closesAt, locale)} ${formatDateTime(s.closesAt).slice(11)}` })}
          </div>
        )}
        {s.intro && <div style={{ color: '#555', fontSize: 14, lineHeight: 1.6, marginTop: 8, whiteSpace: 'pre-wrap' }}>{s.intro}</div>}
      </div>

      {s.children.length === 0 && <ErrorBlock status="empty" description={t('noChildren')} />}
      {s.children.length > 1 && (
        <div style={{ padding: '8px 16px' }}>
          <div style={{ fontSize: 14, color: '#666', marginBottom: 6 }}>{t('whichChild')}</div>
          <Selector
            columns={2}
            value={childId ? [childId] : []}
            onChange={(v) => {
              if (v[0]) setParams({ child: v[0] }, { replace: true });
              setEditing(null);
            }}
            options={s.children.map((c) => ({
              value: c.id,
              label: c.name,
              description: c.answer ? `✓ ${t('answered')}` : t('notAnswered'),
            }))}
          />
        </div>
      )}

      {child && (
        <div style={{ padding: '12px 16px 0', color: '#666', fontSize: 14 }}>
          <span style={{ fontSize: 16, color: '#333', fontWeight: 600 }}>{child.name}</span>{' '}
          <Tag fill="outline" color="primary">{`${GRADE_LABELS[child.grade]} ${child.className}`}</Tag>
        </div>
      )}

      {child && !showForm && child.answer && (
        <Submitted answer={child.answer} canChange={s.accepting} onChange={() => setEditing(child.id)} />
      )}
      {child && !s.accepting && (
        <div style={{ margin: 16, padding: 12, background: '#fff7e6', borderRadius: 8, color: '#ad6800', fontSize: 14 }}>
          {t('closedNote')}
        </div>
      )}
      {child && showForm && (
        <AnswerForm
          key={`${child.id}-${child.answer?.answeredAt ?? ''}`}
          surveyId={s.id}
          childId={child.id}
          initial={child.answer}
          onDone={() => setEditing(null)}
        />
      )}
    </div>
  );
}

function Submitted({ answer, canChange, onChange }: { answer: Answer; canChange: boolean; onChange(): void }) {
  const t = useT(dict);
  return (
    <div style={{ padding: 16 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, color: '#00b578', fontSize: 18, fontWeight: 600 }}>
        <CheckCircleFill fontSize={24} /> {t('submitted')}
      </div>
      <div style={{ color: '#888', fontSize: 13, margin: '4px 0 12px 32px' }}>
        {t('submittedAt', { at: formatDateTime(answer.answeredAt) })}
      </div>
      <List style={{ '--border-top': 'none', '--padding-left': '0' }}>
        <List.Item title={t('daysTitle')}>{daysSummary(answer.days, t)}</List.Item>
        {answer.interests.length > 0 && (
          <List.Item title={t('interests')}>{answer.interests.map((c) => t(`cat_${c}`)).join('、')}</List.Item>
        )}
        <List.Item title={t('pickupTime')}>{answer.pickupTime ?? t('pickupUnknown')}</List.Item>
        <List.Item title={t('lunch')}>{answer.lunch ? t('yes') : t('no')}</List.Item>
        {answer.note && <List.Item title={t('note')}>{answer.note}</List.Item>}
      </List>
      {canChange && (
        <Button block size="large" style={{ marginTop: 16 }} onClick={onChange}>
          {t('change')}
        </Button>
      )}
    </div>
  );
}

function AnswerForm({ surveyId, childId, initial, onDone }: { surveyId: string; childId: string; initial: Answer | null; onDone(): void }) {
  const t = useT(dict);
  const qc = useQueryClient();
  const [days, setDays] = useState<SurveyDays>(initial?.days ?? {});
  const [interests, setInterests] = useState<string[]>(initial?.interests ?? []);
  const [pickup, setPickup] = useState<string>(initial?.pickupTime ?? UNKNOWN);
  const [lunch, setLunch] = useState(initial?.lunch ?? false);
  const [note, setNote] = useState(initial?.note ?? '');
  const times = initial?.pickupTime && !TIMES.includes(initial.pickupTime) ? [...TIMES, initial.pickupTime].sort() : TIMES;
  const empty = Object.keys(normalizeDays(days)).length === 0;

  const save = useMutation({
    mutationFn: () =>
      api('PUT', `/family/children/${childId}/surveys/${surveyId}`, {
        days: normalizeDays(days),
        interests,
        pickupTime: pickup === UNKNOWN ? null : pickup,
        lunch,
        note,
      }),
    onSuccess: async () => {
      Toast.show({ icon: 'success', content: t('answered') });
      // refetch the family pages' data now (also the home page's, not mounted): going back shows the card gone
      await qc.invalidateQueries({ queryKey: ['family'], refetchType: 'all' });
      onDone();
    },
    onError: (e) => Toast.show({ content: e instanceof ApiError ? e.message : String(e) }),
  });

  return (
    <div style={{ padding: '8px 16px 24px' }}>
      <h3 style={{ fontSize: 17, margin: '12px 0 4px' }}>{t('daysTitle')}</h3>
      <div style={{ color: '#888', fontSize: 13, marginBottom: 12 }}>{t('daysHint')}</div>
      <WeekGrid value={days} onChange={setDays} />
      {empty && <div style={{ color: '#888', fontSize: 13, marginTop: -6, marginBottom: 8 }}>{t('noService')}</div>}

      <h3 style={{ fontSize: 17, margin: '20px 0 10px' }}>{t('interests')}</h3>
      <Selector
        multiple
        columns={3}
        value={interests}
        onChange={setInterests}
        options={CATEGORIES.map((c) => ({ value: c, label: t(`cat_${c}`) }))}
      />

      <h3 style={{ fontSize: 17, margin: '20px 0 10px' }}>{t('pickupTime')}</h3>
      <Selector
        columns={4}
        value={[pickup]}
        onChange={(v) => setPickup(v[0] ?? UNKNOWN)}
        options={[...times.map((x) => ({ value: x, label: x })), { value: UNKNOWN, label: t('pickupUnknown') }]}
      />

      <List style={{ margin: '20px -16px 0', '--border-top': 'none', '--padding-left': '16px', '--padding-right': '16px' }}>
        <List.Item description={t('lunchHint')} extra={<Switch checked={lunch} onChange={setLunch} aria-label={t('lunch')} />}>
          {t('lunch')}
        </List.Item>
      </List>

      <h3 style={{ fontSize: 17, margin: '20px 0 10px' }}>
        <label htmlFor="survey-note">{t('note')}</label>
      </h3>
      <div style={{ border: '1px solid #eee', borderRadius: 8, padding: 8 }}>
        <TextArea value={note} onChange={setNote} placeholder={t('notePlaceholder')} maxLength={500} showCount rows={3} id="survey-note" />
      </div>

      <div style={{ color: '#999', fontSize: 12, margin: '16px 0' }}>{t('voluntary')}</div>
      <Button block color="primary" size="large" loading={save.isPending} onClick={() => save.mutate()}>
        {initial ? t('update') : t('submit')}
      </Button>
    </div>
  );
}
