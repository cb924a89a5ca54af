/** Step 2: the week as a grid (Mon–Fri × regular care), clubs by ranked choice, lottery or review,
 * lunch, going home alone (P2) and a priority category with a note (R14). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Dialog, Selector, Switch, Tag, TextArea, Toast } from 'antd-mobile';
import { useMemo, useState } from 'react';
import { ALLOCATION_LABELS, PRIORITY_CATEGORIES, PRIORITY_LABELS, SLOT_LABELS } from '../../../shared/plans';
import { ApiError, patch, post } from '../../api';
import { useT } from '../../i18n';
import { dict } from './dict';
import { WD } from './format';
import { OfferingInfo } from './OfferingInfo';
import type { ApplyData, Choice } from './types';

const key = (c: { offeringId: string; weekday: number }) => `${c.offeringId}:${c.weekday}`;

export function ApplicationForm({ data, canEdit }: { data: ApplyData; canEdit: boolean }) {
  const t = useT(dict);
  const qc = useQueryClient();
  const app = data.application?.status === 'withdrawn' ? null : data.application;
  const [chosen, setChosen] = useState<Map<string, Choice>>(() => new Map((app?.choices ?? []).map((c) => [key(c), c])));
  const [lunch, setLunch] = useState(app?.lunch ?? false);
  const [alone, setAlone] = useState(app?.goHomeAlone ?? false);
  const [category, setCategory] = useState<string | null>(app?.priorityCategory ?? null);
  const [note, setNote] = useState(app?.priorityNote ?? '');
  const eligible = data.offerings.filter((o) => o.eligible);
  const care = eligible.filter((o) => o.kind === 'care' && o.allocation !== 'fcfs');
  const clubs = eligible.filter((o) => o.kind === 'club' && o.allocation !== 'fcfs');
  const ranked = clubs.filter((o) => o.allocation === 'ranked');
  const disabled = !canEdit;

  const toggle = (offeringId: string, weekday: number, on: boolean, rank = 1) =>
    setChosen((m) => {
      const next = new Map(m);
      if (on) next.set(key({ offeringId, weekday }), { offeringId, weekday, rank });
      else next.delete(key({ offeringId, weekday }));
      return next;
    });
  const rankOf = (id: string) => [...chosen.values()].find((c) => c.offeringId === id)?.rank ?? 0;
  const setRank = (id: string, weekdays: number[], rank: number) =>
    setChosen((m) => {
      const next = new Map(m);
      for (const wd of weekdays) next.delete(key({ offeringId: id, weekday: wd }));
      if (rank > 0) for (const wd of weekdays) next.set(key({ offeringId: id, weekday: wd }), { offeringId: id, weekday: wd, rank });
      return next;
    });
  const rankOptions = useMemo(
    () => [{ label: t('noRank'), value: 0 }, ...ranked.map((_, i) => ({ label: t('rank', { n: i + 1 }), value: i + 1 }))],
    [ranked, t],
  );

  const save = useMutation({
    mutationFn: () => {
      const body = {
        choices: [...chosen.values()],
        lunch,
        goHomeAlone: alone,
        priorityCategory: category,
        priorityNote: category ? note : '',
      };
      return app
        ? patch(`/family/applications/${app.id}`, body)
        : post('/family/applications', { ...body, termId: data.term?.id, studentId: data.child.id });
    },
    onSuccess: () => {
      Toast.show({ icon: 'success', content: app ? t('updated') : t('submitted') });
      qc.invalidateQueries({ queryKey: ['apply', data.child.id] });
    },
    onError: (e) => Toast.show({ content: e instanceof ApiError ? e.message : String(e), duration: 3000 }),
  });
  const withdraw = useMutation({
    mutationFn: () => post(`/family/applications/${app?.id}/withdraw`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['apply', data.child.id] }),
    onError: (e) => Toast.show({ content: e instanceof ApiError ? e.message : String(e) }),
  });

  return (
    <Card
      title={t('step2')}
      style={{ margin: 12, borderRadius: 12 }}
      extra={
        app ? (
          <Tag color={app.status === 'approved' ? 'success' : app.status === 'rejected' ? 'danger' : 'primary'}>{app.statusLabel}</Tag>
        ) : null
      }
    >
      {app?.reviewComment && <div style={{ color: '#666', marginBottom: 8 }}>{t('comment', { c: app.reviewComment })}</div>}
      {care.length > 0 && (
        <>
          <div style={{ fontWeight: 600, margin: '4px 0 8px' }}>{t('careGrid')}</div>
          <div
            style={{
              display: 'grid',
              gridTemplateColumns: 'minmax(0, 1fr) repeat(5, 40px)',
              rowGap: 6,
              alignItems: 'center',
              fontSize: 13,
            }}
          >
            <div />
            {[1, 2, 3, 4, 5].map((d) => (
              <div key={d} style={{ textAlign: 'center', color: '#888' }}>
                {WD[d]}
              </div>
            ))}
            {care.map((o) => (
              <GridRow key={o.id} name={o.name} slot={SLOT_LABELS[o.slot]}>
                {[1, 2, 3, 4, 5].map((d) => (
                  <div key={d} style={{ textAlign: 'center' }}>
                    {o.weekdays.includes(d) ? (
                      <Checkbox
                        aria-label={`${o.name} 周${WD[d]}`}
                        disabled={disabled}
                        checked={chosen.has(key({ offeringId: o.id, weekday: d }))}
                        onChange={(v) => toggle(o.id, d, v)}
                      />
                    ) : (
                      <span style={{ color: '#ccc' }}>—</span>
                    )}
                  </div>
                ))}
              </GridRow>
            ))}
          </div>
        </>
      )}
      {clubs.length > 0 && <div style={{ fontWeight: 600, margin: '16px 0 4px' }}>{t('clubs')}</div>}
      {ranked.length > 0 && <div style={{ color: '#888', fontSize: 12, marginBottom: 4 }}>{t('rankHint')}</div>}
      {clubs.map((o) => {
        const on = o.weekdays.every((d) => chosen.has(key({ offeringId: o.id, weekday: d })));
        return (
          <div key={o.id} style={{ borderTop: '1px solid #f0f0f0', padding: '10px 0' }}>
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
              <span style={{ fontSize: 16, fontWeight: 500 }}>
                {o.name} <Tag fill="outline">{ALLOCATION_LABELS[o.allocation]}</Tag>
              </span>
              {o.allocation !== 'ranked' && (
                <Button
                  size="small"
                  color={on ? 'success' : 'primary'}
                  fill={on ? 'solid' : 'outline'}
                  disabled={disabled}
                  onClick={() => {
                    for (const d of o.weekdays) toggle(o.id, d, !on);
                  }}
                >
                  {on ? t('joined') : t('join')}
                </Button>
              )}
            </div>
            <OfferingInfo o={o} />
            {o.allocation === 'ranked' && (
              <Selector
                style={{ marginTop: 6, '--padding': '4px 10px' }}
                disabled={disabled}
                options={rankOptions}
                value={[rankOf(o.id)]}
                onChange={(v) => setRank(o.id, o.weekdays, v[0] ?? 0)}
              />
            )}
          </div>
        );
      })}
      <div style={{ borderTop: '1px solid #f0f0f0', marginTop: 8, paddingTop: 12, display: 'grid', gap: 12 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <span>{t('lunch')}</span>
          <Switch checked={lunch} onChange={setLunch} disabled={disabled} aria-label={t('lunch')} />
        </div>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
          <span>
            {t('goHomeAlone')}
            <div style={{ color: '#999', fontSize: 12 }}>{t('goHomeAloneHint', { n: data.settings.goHomeAloneMinGrade })}</div>
          </span>
          <Switch
            checked={alone}
            onChange={setAlone}
            disabled={disabled || data.child.grade < data.settings.goHomeAloneMinGrade}
            aria-label={t('goHomeAlone')}
          />
        </div>
        <div>
          <div style={{ marginBottom: 6 }}>{t('priority')}</div>
          <Selector
            columns={2}
            disabled={disabled}
            options={[{ label: t('none'), value: '' }, ...PRIORITY_CATEGORIES.map((c) => ({ label: PRIORITY_LABELS[c], value: c }))]}
            value={[category ?? '']}
            onChange={(v) => setCategory(v[0] ? v[0] : null)}
          />
          {category && (
            <TextArea
              style={{ marginTop: 8, background: '#f7f8fa', padding: 8, borderRadius: 8 }}
              placeholder={t('priorityNote')}
              value={note}
              onChange={setNote}
              maxLength={500}
              rows={2}
              disabled={disabled}
            />
          )}
        </div>
      </div>
      {canEdit && (
        <Button block color="primary" size="large" style={{ marginTop: 16 }} loading={save.isPending} onClick={() => save.mutate()}>
          {app ? t('update') : t('submit')}
        </Button>
      )}
      {canEdit && app && (
        <Button
          block
          fill="none"
          color="danger"
          style={{ marginTop: 8 }}
          onClick={async () => {
            if (await Dialog.confirm({ content: t('withdrawConfirm') })) withdraw.mutate();
          }}
        >
          {t('withdraw')}
        </Button>
      )}
    </Card>
  );
}

function GridRow({ name, slot, children }: { name: string; slot: string; children: React.ReactNode }) {
  return (
    <>
      <div style={{ minWidth: 0 }}>
        <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{name}</div>
        <div style={{ color: '#999', fontSize: 11 }}>{slot}</div>
      </div>
      {children}
    </>
  );
}
