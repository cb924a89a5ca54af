/** On the guardian's home, above the children: an open survey not yet answered for some child, until it is. */
import { useQuery } from '@tanstack/react-query';
import { Button } from 'antd-mobile';
import { FileOutline } from 'antd-mobile-icons';
import { useNavigate } from 'react-router-dom';
import { get } from '../../api';
import { useMe } from '../../auth';
import { formatDate, useLocale, useT } from '../../i18n';
import { dict } from './dict';
import type { FamilySurveyItem } from './types';

export function SurveyNotice() {
  const t = useT(dict);
  const { locale } = useLocale();
  const me = useMe().data;
  const navigate = useNavigate();
  const surveys = useQuery({
    queryKey: ['family', 'surveys', me?.active?.id],
    queryFn: () => get<FamilySurveyItem[]>('/family/surveys'),
    enabled: !!me && !me.consentRequired && !!me.permissions.includes('survey.answer'),
  });
  const pending = (surveys.data ?? []).filter((s) => s.accepting && s.children.some((c) => !c.answeredAt));
  if (pending.length === 0) return null;
  return (
    <>
      {pending.map((s) => {
        const waiting = s.children.filter((c) => !c.answeredAt);
        const open = () => navigate(`/m/survey/${s.id}?child=${waiting[0].id}`);
        return (
          <section
            key={s.id}
            aria-label={s.title}
            style={{ margin: 12, padding: 14, borderRadius: 12, background: '#e6f4ff', border: '1px solid #91caff' }}
          >
            <div style={{ display: 'flex', gap: 10, alignItems: 'flex-start' }}>
              <FileOutline fontSize={24} color="#1677ff" style={{ flex: 'none', marginTop: 2 }} />
              <div style={{ flex: 1, minWidth: 0 }}>
                <div style={{ fontSize: 16, fontWeight: 600, lineHeight: 1.4 }}>{t('noticeTitle', { title: s.title })}</div>
                <div style={{ color: '#555', fontSize: 14, marginTop: 4, lineHeight: 1.5 }}>
                  {t('noticeBody', { names: waiting.map((c) => c.name).join('、') })}
                  {s.closesAt && <span style={{ color: '#d46b08' }}> {t('noticeClose', { date: formatDate(s.closesAt, locale) })}</span>}
                </div>
              </div>
            </div>
            <Button block color="primary" style={{ marginTop: 12 }} onClick={open}>
              {t('fill')}
            </Button>
          </section>
        );
      })}
    </>
  );
}
