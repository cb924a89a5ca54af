/**
 * 报名审核 for the office on a desktop: every class's applications of the term in one table — the
 * pupil, class, what was asked for, priority, lunch and going home alone — filtered by status;
 * several approved at once, one refused with a reason (the family is told), and a decision already
 * taken changed (the office's override). The homeroom teacher's phone page is ReviewPage.
 */
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Modal, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { GRADE_LABELS } from '../../../shared/roster';
import { accessOf } from '../../access';
import { ApiError, get, type Page, post, qs } from '../../api';
import { useMe } from '../../auth';
import { EmptyState, ErrorState } from '../../components/PageState';
import { useT } from '../../i18n';
import { dict, type Row, type Term } from './ReviewPage';

const STATUS_COLOR: Record<string, string> = { submitted: 'processing', approved: 'success', rejected: 'error', withdrawn: 'default' };

export default function OfficeReviewPage() {
  const t = useT(dict);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const canWrite = accessOf(useMe().data).has('application.write');
  const [status, setStatus] = useState('submitted');
  const [termId, setTermId] = useState<string>();
  const [picked, setPicked] = useState<string[]>([]);
  const [refusing, setRefusing] = useState<Row | null>(null);
  const [reason, setReason] = useState('');
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
  const fail = (e: unknown) => message.error(e instanceof ApiError ? e.message : String(e));
  const approve = useMutation({
    mutationFn: (ids: string[]) => post<{ reviewed: number }>('/applications/review', { ids, decision: 'approve', comment: '' }),
    onSuccess: (r) => {
      message.success(t('approvedOk', { n: r.reviewed }));
      done();
    },
    onError: fail,
  });
  const reject = useMutation({
    mutationFn: ({ id, comment }: { id: string; comment: string }) => post(`/applications/${id}/review`, { decision: 'reject', comment }),
    onSuccess: () => {
      message.success(t('rejectedOk'));
      setRefusing(null);
      setReason('');
      done();
    },
    onError: fail,
  });

  if (terms.error) return <ErrorState error={terms.error} onRetry={() => terms.refetch()} />;
  const rows = list.data?.items ?? [];

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
      }
      extra={
        <Space wrap>
          <Select
            style={{ minWidth: 240 }}
            aria-label={t('term')}
            loading={terms.isLoading}
            value={term}
            onChange={(v) => {
              setTermId(v);
              setPicked([]);
            }}
            options={(terms.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          />
          <Segmented
            value={status}
            onChange={(v) => {
              setStatus(String(v));
              setPicked([]);
            }}
            options={['submitted', 'approved', 'rejected', 'all'].map((k) => ({ value: k, label: t(k) }))}
          />
        </Space>
      }
    >
      <Alert type="info" showIcon message={t('reviewHint')} style={{ marginBottom: 16 }} />
      {terms.data?.length === 0 ? (
        <EmptyState description={t('noTerm')} />
      ) : (
        <>
          {canWrite && (
            <Space style={{ marginBottom: 12 }}>
              <Button
                type="primary"
                icon={<CheckOutlined />}
                disabled={picked.length === 0}
                loading={approve.isPending}
                onClick={() => approve.mutate(picked)}
              >
                {t('approveN', { n: picked.length })}
              </Button>
            </Space>
          )}
          {list.error ? (
            <ErrorState error={list.error} onRetry={() => list.refetch()} />
          ) : (
            <Table<Row>
              rowKey="id"
              size="middle"
              loading={list.isFetching}
              dataSource={rows}
              locale={{ emptyText: <EmptyState description={t('none')} /> }}
              rowSelection={
                canWrite
                  ? {
                      selectedRowKeys: picked,
                      onChange: (keys) => setPicked(keys as string[]),
                      getCheckboxProps: (r) => ({ disabled: r.status !== 'submitted', 'aria-label': r.student.name }),
                    }
                  : undefined
              }
              pagination={{ pageSize: 50, showTotal: (n) => t('total', { n }) }}
              columns={[
                {
                  title: t('student'),
                  key: 'student',
                  width: 140,
                  render: (_: unknown, r) => <Typography.Text strong>{r.student.name}</Typography.Text>,
                },
                {
                  title: t('className'),
                  key: 'class',
                  width: 150,
                  render: (_: unknown, r) => `${GRADE_LABELS[r.student.grade] ?? ''} ${r.student.className}`,
                },
                {
                  title: t('choices'),
                  dataIndex: 'choiceSummary',
                  render: (s: string) => s || <Typography.Text type="secondary">{t('nothing')}</Typography.Text>,
                },
                {
                  title: t('priority'),
                  key: 'priority',
                  width: 200,
                  render: (_: unknown, r) =>
                    r.priorityLabel ? (
                      <Space orientation="vertical" size={0}>
                        <Tag color="orange">{r.priorityLabel}</Tag>
                        {r.priorityNote && <Typography.Text type="secondary">{r.priorityNote}</Typography.Text>}
                      </Space>
                    ) : (
                      '—'
                    ),
                },
                {
                  title: t('notes'),
                  key: 'notes',
                  width: 170,
                  render: (_: unknown, r) => (
                    <Space size={4} wrap>
                      {r.lunch && <Tag>{t('lunch')}</Tag>}
                      {r.goHomeAlone && <Tag>{t('alone')}</Tag>}
                      {!r.agreementsSigned && <Tag color="error">{t('unsigned')}</Tag>}
                    </Space>
                  ),
                },
                {
                  title: t('status'),
                  key: 'status',
                  width: 160,
                  render: (_: unknown, r) => (
                    <Space orientation="vertical" size={0}>
                      <Tag color={STATUS_COLOR[r.status]}>{r.statusLabel}</Tag>
                      {r.reviewComment && <Typography.Text type="secondary">“{r.reviewComment}”</Typography.Text>}
                    </Space>
                  ),
                },
                ...(canWrite
                  ? [
                      {
                        title: t('actions'),
                        key: 'actions',
                        width: 170,
                        render: (_: unknown, r: Row) => (
                          <Space size={0}>
                            {r.status !== 'approved' && r.status !== 'withdrawn' && (
                              <Button type="link" icon={<CheckOutlined />} onClick={() => approve.mutate([r.id])}>
                                {t('approve')}
                              </Button>
                            )}
                            {r.status !== 'rejected' && r.status !== 'withdrawn' && (
                              <Button type="link" danger icon={<CloseOutlined />} onClick={() => setRefusing(r)}>
                                {t('reject')}
                              </Button>
                            )}
                          </Space>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )}
        </>
      )}
      <Modal
        open={!!refusing}
        title={`${t('reject')} · ${refusing?.student.name ?? ''}`}
        okText={t('reject')}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        confirmLoading={reject.isPending}
        onOk={() => refusing && reject.mutate({ id: refusing.id, comment: reason.trim() })}
        onCancel={() => {
          setRefusing(null);
          setReason('');
        }}
      >
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('rejectReason')}
          maxLength={500}
        />
      </Modal>
    </Card>
  );
}
