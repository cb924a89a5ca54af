/**
 * 站队清点 on the duty console: the duty leader counts the line-up per group (or a whole campus) and
 * types the number; expected is the group's pupils not on leave. A count that differs is flagged in
 * red until it is counted again. Mounted on the duty page (src/web/pages/duty).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Input, List, Skeleton, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { post, get } from '../../api';
import { type Dict, useT } from '../../i18n';

const dict: Dict = {
  zh: {
    title: '站队清点',
    expected: '应到 {n}',
    counted: '实到 {n}',
    diff: '差 {d}',
    ok: '人数相符',
    count: '清点人数',
    save: '记录',
    campus: '{c}（全校区）',
    saved: '已记录清点人数',
  },
  en: {
    title: 'Line-up headcount',
    expected: '{n} expected',
    counted: '{n} counted',
    diff: 'off by {d}',
    ok: 'Matches',
    count: 'Count',
    save: 'Record',
    campus: '{c} (whole campus)',
    saved: 'Headcount recorded',
  },
};

interface Row {
  groupId?: string;
  campusId: string;
  campusName: string;
  offeringName?: string;
  slot?: string;
  index?: number;
  expected: number;
  counted: number | null;
  discrepancy: number | null;
}

export function Headcount() {
  const t = useT(dict);
  const qc = useQueryClient();
  const data = useQuery({
    queryKey: ['afternoon-headcounts'],
    queryFn: () => get<{ groups: Row[]; campuses: Row[] }>('/afternoon/headcounts'),
    refetchInterval: 30_000,
  });
  const record = useMutation({
    mutationFn: (v: { groupId?: string; campusId?: string; counted: number }) => post('/afternoon/headcounts', v),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('saved') });
      qc.invalidateQueries({ queryKey: ['afternoon-headcounts'] });
    },
    onError: (e) => Toast.show({ content: (e as Error).message }),
  });
  if (data.isLoading) return <Skeleton.Paragraph lineCount={3} animated />;
  if (!data.data) return null;
  const rows = [
    ...data.data.campuses.filter((c) => c.expected > 0).map((c) => ({ ...c, label: t('campus', { c: c.campusName }) })),
    ...data.data.groups
      .filter((g) => g.slot === 'afternoon')
      .map((g) => ({ ...g, label: `${g.campusName} · ${g.offeringName} ${g.index ?? ''}组` })),
  ];
  if (rows.length === 0) return null;
  return (
    <List header={t('title')}>
      {rows.map((r) => (
        <CountRow
          key={r.groupId ?? r.campusId}
          row={r}
          onSave={(counted) => record.mutate(r.groupId ? { groupId: r.groupId, counted } : { campusId: r.campusId, counted })}
        />
      ))}
    </List>
  );
}

function CountRow({ row, onSave }: { row: Row & { label: string }; onSave: (n: number) => void }) {
  const t = useT(dict);
  const [n, setN] = useState('');
  const flagged = row.discrepancy !== null && row.discrepancy !== 0;
  return (
    <List.Item
      style={flagged ? { background: '#fff1f0' } : undefined}
      description={
        <span>
          {t('expected', { n: row.expected })}
          {row.counted !== null && ` · ${t('counted', { n: row.counted })} `}
          {row.counted !== null &&
            (flagged ? <Tag color="danger">{t('diff', { d: row.discrepancy ?? 0 })}</Tag> : <Tag color="success">{t('ok')}</Tag>)}
        </span>
      }
      extra={
        <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
          <Input
            aria-label={`${row.label} ${t('count')}`}
            placeholder={t('count')}
            inputMode="numeric"
            value={n}
            onChange={(v) => setN(v.replace(/\D/g, ''))}
            style={{ width: 64 }}
          />
          <Button size="small" color="primary" disabled={n === ''} onClick={() => onSave(Number(n))}>
            {t('save')}
          </Button>
        </span>
      }
    >
      {row.label}
    </List.Item>
  );
}
