/** The district's review of one submitted version: its findings, the plan as it would be published, the decision. */
import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Form, Input, Modal, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { get, post } from '../../api';
import { Loading } from '../../components/PageState';
import { useT } from '../../i18n';
import { FindingsPanel } from '../plans/FindingsPanel';
import { useLabel } from '../plans/labels';
import '../plans/notice.css';
import { PlanNotice } from '../plans/PlanNotice';
import { STATUS_COLORS, type VersionFull } from '../plans/types';
import { errorText } from '../school/roster';
import { dict } from './dict';
import type { QueueRow } from './FilingPage';

export function ReviewDrawer({ row, onClose }: { row: QueueRow | null; onClose(): void }) {
  const t = useT(dict);
  const label = useLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [returning, setReturning] = useState(false);
  const [form] = Form.useForm<{ comment: string }>();
  const version = row?.latest?.version;
  const detail = useQuery({
    queryKey: ['district', 'plan', row?.id, version],
    queryFn: () => get<VersionFull>(`/district/plans/${row?.id}/versions/${version}`),
    enabled: !!row && !!version,
  });
  const decide = useMutation({
    mutationFn: ({ action, comment }: { action: 'file' | 'return'; comment: string }) =>
      post(`/district/plans/${row?.id}/versions/${version}/${action}`, { comment }),
    onSuccess: (_d, v) => {
      qc.invalidateQueries({ queryKey: ['district', 'plans'] });
      qc.invalidateQueries({ queryKey: ['district', 'plan', row?.id] });
      message.success(t(v.action === 'file' ? 'filed' : 'returned'));
      setReturning(false);
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });
  const v = detail.data;
  const pending = v?.status === 'submitted';

  return (
    <Drawer
      open={!!row}
      onClose={onClose}
      size={1000}
      title={row ? t('drawerTitle', { school: row.school.name, term: row.term.name, n: version ?? '' }) : ''}
      extra={
        pending && (
          <Space>
            <Button danger icon={<RollbackOutlined />} onClick={() => setReturning(true)}>
              {t('return')}
            </Button>
            <Popconfirm title={t('fileConfirm')} onConfirm={() => decide.mutate({ action: 'file', comment: '' })}>
              <Button type="primary" icon={<CheckOutlined />} loading={decide.isPending}>
                {t('file')}
              </Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      {!v ? (
        <Loading />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {!pending && (
            <Alert
              type="info"
              showIcon
              message={
                <Space>
                  {t('notSubmitted', { s: '' })}
                  <Tag color={STATUS_COLORS[v.status]}>{label('status', v.status)}</Tag>
                  {v.reviewComment && <Typography.Text>{`${t('reviewComment')}：${v.reviewComment}`}</Typography.Text>}
                </Space>
              }
            />
          )}
          {v.findings.length === 0 ? (
            <Alert type="success" showIcon message={t('noFindings')} />
          ) : (
            <FindingsPanel title={t('findings')} findings={v.findings} />
          )}
          <div style={{ border: '1px solid #f0f0f0', borderRadius: 8 }}>
            <PlanNotice
              snapshot={v.snapshot}
              version={v.version}
              filedAt={v.status === 'filed' || v.status === 'published' ? v.reviewedAt : null}
              publishedAt={v.publishedAt}
            />
          </div>
        </Space>
      )}
      <Modal
        open={returning}
        title={t('returnTitle')}
        onCancel={() => setReturning(false)}
        onOk={() => form.submit()}
        okText={t('return')}
        okButtonProps={{ danger: true }}
        confirmLoading={decide.isPending}
      >
        <Form form={form} layout="vertical" onFinish={(f) => decide.mutate({ action: 'return', comment: f.comment.trim() })}>
          <Form.Item name="comment" label={t('comment')} rules={[{ required: true, whitespace: true, message: t('commentRequired') }]}>
            <Input.TextArea maxLength={2000} autoSize={{ minRows: 4, maxRows: 8 }} />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}
