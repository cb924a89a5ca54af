/**
 * 托管事件 on the duty console: today's incidents, open ones first, with severity, pupils, who was
 * told and who has acknowledged, escalation, and 结案 with an outcome. Live through the console's SSE.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Input, List, Modal, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { get, post } from '../../api';
import { type Dict, useT } from '../../i18n';
import { hhmm } from '../rollcall/types';
import { type Incident, SEVERITY_COLOR } from './carelog-types';

export const incidentDict: Dict = {
  zh: {
    title: '托管事件',
    none: '今天没有托管事件',
    injury: '受伤',
    illness: '身体不适',
    conflict: '冲突',
    other: '其他',
    minor: '轻微',
    serious: '较重',
    critical: '严重',
    open: '处理中',
    closed: '已结案',
    escalated: '已升级',
    acks: '已确认 {a}/{n}',
    close: '结案',
    outcome: '处理结果（必填）',
    ack: '我已知悉',
    reported: '{who} {t} 报告',
    action: '已处理：{x}',
    guardian: '家长',
    homeroom: '班主任',
    grade_head: '年级组长',
    manager: '值班领导',
    leader: '学校领导',
    escalation: '升级告知',
    pending: '{n} 人未确认',
  },
  en: {
    title: 'Incidents',
    none: 'No incidents today',
    injury: 'Injury',
    illness: 'Illness',
    conflict: 'Conflict',
    other: 'Other',
    minor: 'Minor',
    serious: 'Serious',
    critical: 'Critical',
    open: 'Open',
    closed: 'Closed',
    escalated: 'Escalated',
    acks: 'Acknowledged {a}/{n}',
    close: 'Close',
    outcome: 'Outcome (required)',
    ack: 'Acknowledge',
    reported: 'Reported by {who} at {t}',
    action: 'Done: {x}',
    guardian: 'Guardian',
    homeroom: 'Homeroom',
    grade_head: 'Grade head',
    manager: 'Duty leader',
    leader: 'School leader',
    escalation: 'Escalation',
    pending: '{n} not acknowledged',
  },
};

export function IncidentsPanel({ canClose }: { canClose: boolean }) {
  const t = useT(incidentDict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [closing, setClosing] = useState<Incident | null>(null);
  const [outcome, setOutcome] = useState('');
  const list = useQuery({ queryKey: ['carelog-incidents'], queryFn: () => get<{ incidents: Incident[] }>('/carelog/incidents') });
  const refresh = () => qc.invalidateQueries({ queryKey: ['carelog-incidents'] });
  const close = useMutation({
    mutationFn: () => post(`/carelog/incidents/${closing?.id}/close`, { outcome }),
    onSuccess: () => {
      setClosing(null);
      setOutcome('');
      refresh();
    },
    onError: (e: Error) => message.error(e.message),
  });
  const ack = useMutation({
    mutationFn: (id: string) => post(`/carelog/incidents/${id}/ack`),
    onSuccess: refresh,
    onError: (e: Error) => message.error(e.message),
  });
  const items = list.data?.incidents ?? [];
  const open = items.filter((i) => i.status === 'open');
  return (
    <Card
      size="small"
      data-testid="incidents-panel"
      title={<span style={{ color: open.length ? '#cf1322' : undefined }}>{`${t('title')} (${open.length})`}</span>}
      style={{ marginBottom: 12, borderColor: open.some((i) => i.severity !== 'minor') ? '#ff4d4f' : undefined }}
    >
      {list.error && <Alert type="error" message={(list.error as Error).message} />}
      {!list.isLoading && items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('none')} />
      ) : (
        <List
          loading={list.isLoading}
          dataSource={items}
          renderItem={(i) => {
            const staff = i.recipients.filter((r) => r.role !== 'guardian');
            const acked = staff.filter((r) => r.acknowledgedAt);
            const mine = i.recipients.find((r) => r.me && !r.acknowledgedAt);
            return (
              <List.Item
                style={{ background: i.status === 'open' && i.severity !== 'minor' ? '#fff1f0' : undefined, padding: 8, flexWrap: 'wrap' }}
              >
                <List.Item.Meta
                  title={
                    <Space wrap size={4}>
                      <Tag color={SEVERITY_COLOR[i.severity]}>{t(i.severity)}</Tag>
                      <b>{i.pupils.map((p) => `${p.name}（${p.className}）`).join('、')}</b>
                      <span>{t(i.kind)}</span>
                      {i.status === 'open' ? <Tag color="processing">{t('open')}</Tag> : <Tag>{t('closed')}</Tag>}
                      {i.level > 1 && <Tag color="red">{t('escalated')}</Tag>}
                    </Space>
                  }
                  description={
                    <>
                      <div>{i.description}</div>
                      {i.actionTaken && <div>{t('action', { x: i.actionTaken })}</div>}
                      {i.outcome && <div style={{ color: '#389e0d' }}>✔ {i.outcome}</div>}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {i.groupLabel ? `${i.groupLabel} · ` : ''}
                        {t('reported', { who: i.reportedBy ?? '', t: hhmm(i.reportedAt) })} ·{' '}
                        <Tooltip
                          title={i.recipients
                            .map((r) => `${t(r.role)} ${r.name}${r.acknowledgedAt ? ` ✔${hhmm(r.acknowledgedAt)}` : ''}`)
                            .join('；')}
                        >
                          <span style={{ textDecoration: 'underline dotted' }}>{t('acks', { a: acked.length, n: staff.length })}</span>
                        </Tooltip>
                      </Typography.Text>
                      {i.status === 'open' && (mine || canClose) && (
                        <Space style={{ marginTop: 6, display: 'flex' }}>
                          {mine && (
                            <Button size="small" onClick={() => ack.mutate(i.id)}>
                              {t('ack')}
                            </Button>
                          )}
                          {canClose && (
                            <Button size="small" danger onClick={() => setClosing(i)}>
                              {t('close')}
                            </Button>
                          )}
                        </Space>
                      )}
                    </>
                  }
                />
              </List.Item>
            );
          }}
        />
      )}
      <Modal
        open={!!closing}
        title={`${t('close')}：${closing?.pupils.map((p) => p.name).join('、') ?? ''}`}
        onCancel={() => setClosing(null)}
        onOk={() => close.mutate()}
        okButtonProps={{ disabled: !outcome.trim() }}
        confirmLoading={close.isPending}
      >
        <Input.TextArea value={outcome} onChange={(e) => setOutcome(e.target.value)} placeholder={t('outcome')} maxLength={1000} rows={3} />
      </Modal>
    </Card>
  );
}
