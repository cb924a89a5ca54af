/** /m/apply: straight to the only child, or a choice between children. */
import { useQuery } from '@tanstack/react-query';
import { ErrorBlock, List, NavBar, Skeleton } from 'antd-mobile';
import { Navigate, useNavigate } from 'react-router-dom';
import { GRADE_LABELS } from '../../../shared/roster';
import { get } from '../../api';
import { useMe } from '../../auth';
import { ConsentNotice } from '../family/ConsentNotice';
import { useT } from '../../i18n';
import type { Child } from '../family/FamilyHome';
import { dict } from './dict';

export default function ApplyIndex() {
  const t = useT(dict);
  const navigate = useNavigate();
  const me = useMe().data;
  const q = useQuery({
    queryKey: ['family', 'children', me?.active?.id],
    queryFn: () => get<Child[]>('/family/children'),
    enabled: !!me && !me.consentRequired,
  });
  if (me?.consentRequired) return <ConsentNotice />;
  if (q.isLoading) return <Skeleton.Paragraph lineCount={4} animated style={{ padding: 12 }} />;
  if (q.error) return <ErrorBlock status="default" description={(q.error as Error).message} />;
  const kids = q.data ?? [];
  if (kids.length === 1) return <Navigate to={`/m/apply/${kids[0].id}`} replace />;
  return (
    <div>
      <NavBar onBack={() => navigate('/m/family')}>{t('title')}</NavBar>
      <List header={t('pickChild')}>
        {kids.map((c) => (
          <List.Item
            key={c.id}
            arrowIcon
            onClick={() => navigate(`/m/apply/${c.id}`)}
            description={`${GRADE_LABELS[c.grade]} ${c.className}`}
          >
            {c.name}
          </List.Item>
        ))}
      </List>
    </div>
  );
}
