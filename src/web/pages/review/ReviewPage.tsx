/**
 * 报名审核 for the homeroom teacher (phone first): the class's applications for the term, each with
 * the days and clubs asked for, priority, lunch and going home alone; tick several and approve at
 * once, or refuse one with a reason. The office sees the whole school here too and may override.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Dialog, ErrorBlock, List, NavBar, Selector, Skeleton, Tabs, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { GRADE_LABELS } from '../../../shared/roster';
import { accessOf } from '../../access';
import { ApiError, get, type Page, post, qs } from '../../api';
import { useMe } from '../../auth';
import { type Dict, useT } from '../../i18n';

export interface Row {
  id: string;
  status: string;
  statusLabel: string;
  priorityLabel: string | null;
  priorityNote: string;
  lunch: boolean;
  goHomeAlone: boolean;
  reviewComment: string;
  choiceSummary: string;
  agreementsSigned: boolean;
  student: { id: string; name: string; grade: number; className: string };
}
export interface Term {
  id: string;
  name: string;
}

export const dict: Dict = {
  zh: {
    title: '报名审核',
    noTerm: '还没有已公示方案的学期',
    submitted: '待审核',
    approved: '已通过',
    rejected: '未通过',
    all: '全部',
    none: '没有需要处理的申请',
    approveN: '通过所选（{n}）',
    selectAll: '全选',
    reject: '不通过',
    approve: '通过',
    rejectReason: '请写明原因，家长会收到通知',
    approvedOk: '已通过 {n} 份申请',
    rejectedOk: '已标记为不通过',
    lunch: '午餐',
    alone: '独自离校',
    unsigned: '协议未签',
    nothing: '未选择项目',
    term: '学期',
    student: '学生',
    className: '班级',
    choices: '申请的项目',
    priority: '优先类别',
    notes: '其他',
    status: '状态',
    actions: '操作',
    total: '共 {n} 份',
    reviewHint: '班主任审核本班申请；办公室可查看全校并改变已作的决定。',
  },
  en: {
    title: 'Applications',
    noTerm: 'No term with a published plan yet',
    submitted: 'To review',
    approved: 'Approved',
    rejected: 'Refused',
    all: 'All',
    none: 'Nothing to review',
    approveN: 'Approve selected ({n})',
    selectAll: 'Select all',
    reject: 'Refuse',
    approve: 'Approve',
    rejectReason: 'Give a reason; the family is notified',
    approvedOk: '{n} approved',
    rejectedOk: 'Refused',
    lunch: 'Lunch',
    alone: 'Goes home alone',
    unsigned: 'Agreements unsigned',
    nothing: 'No activities chosen',
    term: 'Term',
    student: 'Pupil',
    className: 'Class',
    choices: 'Asked for',
    priority: 'Priority',
    notes: 'Other',
    status: 'Status',
    actions: 'Actions',
    total: '{n} applications',
    reviewHint: 'Homeroom teachers review their class; the office sees the whole school and may change a decision.',
  },
};

export default function ReviewPage() {
  const t = useT(dict);
  const qc = useQueryClient();
  const [status, setStatus] = useState('submitted');
  const [termId, setTermId] = useState<string>();
  const [picked, setPicked] = useState<string[]>([]);
  // the office may change a decision already taken (override)
  const office = accessOf(useMe().data).has('application.write');
  const terms = useQuery({ queryKey: ['enrollment', 'terms'], queryFn: () => get<Term[]>('/enrollment/terms') });
  const term = termId ?? terms.data?.[0]?.id;
  const list = useQuery({
    queryKey: ['applications', term, status],
    queryFn: () => get<Page<Row>>(`/applications${qs({ termId: term, status: status === 'all' ? undefined : status, pageSize: 500 })}`),
    enabled: !!term,
    placeholderData: keepPreviousData,
  });
  const done = () => {
    setPicked([]);
    qc.invalidateQueries({ queryKey: ['applications'] });
  };
  const approve = useMutation({
    mutationFn: (ids: string[]) => post<{ reviewed: number }>('/applications/review', { ids, decision: 'approve', comment: '' }),
    onSuccess: (r) => {
      Toast.show({ icon: 'success', content: t('approvedOk', { n: r.reviewed }) });
      done();
    },
    onError: (e) => Toast.show({ content: e instanceof ApiError ? e.message : String(e) }),
  });
  const reject = async (id: string) => {
    let reason = '';
    const ok = await Dialog.confirm({
      title: t('reject'),
      content: (
        <TextArea placeholder={t('rejectReason')} rows={3} onChange={(v) => (reason = v)} style={{ background: '#f7f8fa', padding: 8 }} />
      ),
    });
    if (!ok) return;
    try {
      await post(`/applications/${id}/review`, { decision: 'reject', comment: reason });
      Toast.show({ content: t('rejectedOk') });
      done();
    } catch (e) {
      Toast.show({ content: e instanceof ApiError ? e.message : String(e) });
    }
  };
  const rows = list.data?.items ?? [];
  const pickable = rows.filter((r) => r.status === 'submitted').map((r) => r.id);

  return (
    <div style={{ paddingBottom: picked.length ? 72 : 0 }}>
      <NavBar backIcon={false}>{t('title')}</NavBar>
      {terms.data && terms.data.length > 1 && (
        <Selector
          style={{ padding: '8px 12px' }}
          options={terms.data.map((x) => ({ label: x.name, value: x.id }))}
          value={term ? [term] : []}
          onChange={(v) => v[0] && setTermId(v[0])}
        />
      )}
      {terms.data?.length === 0 && <ErrorBlock status="empty" title={t('noTerm')} description="" />}
      <Tabs
        activeKey={status}
        onChange={(k) => {
          setStatus(k);
          setPicked([]);
        }}
      >
        {['submitted', 'approved', 'rejected', 'all'].map((k) => (
          <Tabs.Tab key={k} title={t(k)} />
        ))}
      </Tabs>
      {list.isLoading && <Skeleton.Paragraph lineCount={6} animated style={{ padding: 12 }} />}
      {list.error && <ErrorBlock status="default" description={(list.error as Error).message} />}
      {list.data && rows.length === 0 && <ErrorBlock status="empty" title={t('none')} description="" />}
      {pickable.length > 1 && (
        <div style={{ padding: '8px 16px' }}>
          <Checkbox
            checked={picked.length === pickable.length}
            indeterminate={picked.length > 0 && picked.length < pickable.length}
            onChange={(v) => setPicked(v ? pickable : [])}
          >
            {t('selectAll')}
          </Checkbox>
        </div>
      )}
      <Checkbox.Group value={picked} onChange={(v) => setPicked(v as string[])}>
        <List>
          {rows.map((r) => (
            <List.Item
              key={r.id}
              prefix={r.status === 'submitted' ? <Checkbox value={r.id} aria-label={r.student.name} /> : undefined}
              description={
                <div style={{ lineHeight: 1.7 }}>
                  <div>{r.choiceSummary || t('nothing')}</div>
                  <div>
                    {r.priorityLabel && (
                      <Tag color="warning" fill="outline">
                        {r.priorityLabel}
                      </Tag>
                    )}{' '}
                    {r.lunch && <Tag fill="outline">{t('lunch')}</Tag>} {r.goHomeAlone && <Tag fill="outline">{t('alone')}</Tag>}{' '}
                    {!r.agreementsSigned && <Tag color="danger">{t('unsigned')}</Tag>}
                  </div>
                  {r.priorityNote && <div style={{ color: '#999' }}>{r.priorityNote}</div>}
                  {r.reviewComment && <div style={{ color: '#999' }}>“{r.reviewComment}”</div>}
                </div>
              }
              extra={
                r.status === 'submitted' ? (
                  <Button size="mini" color="danger" fill="outline" onClick={() => reject(r.id)}>
                    {t('reject')}
                  </Button>
                ) : (
                  <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
                    <Tag color={r.status === 'approved' ? 'success' : 'default'}>{r.statusLabel}</Tag>
                    {office && r.status === 'approved' && (
                      <Button size="mini" color="danger" fill="outline" onClick={() => reject(r.id)}>
                        {t('reject')}
                      </Button>
                    )}
                    {office && r.status === 'rejected' && (
                      <Button size="mini" color="primary" fill="outline" onClick={() => approve.mutate([r.id])}>
                        {t('approve')}
                      </Button>
                    )}
                  </span>
                )
              }
            >
              <span style={{ fontSize: 16 }}>{r.student.name}</span>{' '}
              <span style={{ color: '#999', fontSize: 12 }}>
                {GRADE_LABELS[r.student.grade]} {r.student.className}
              </span>
            </List.Item>
          ))}
        </List>
      </Checkbox.Group>
      {picked.length > 0 && (
        <div
          style={{
            position: 'fixed',
            left: 0,
            right: 0,
            bottom: 56,
            padding: '8px 12px',
            background: '#fff',
            borderTop: '1px solid #eee',
            maxWidth: 640,
            margin: '0 auto',
          }}
        >
          <Button block color="primary" size="large" loading={approve.isPending} onClick={() => approve.mutate(picked)}>
            {t('approveN', { n: picked.length })}
          </Button>
        </div>
      )}
    </div>
  );
}
