/** 报告事件 on the phone: pupils of the group, kind, severity, what happened, what was done, an optional photo. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Dialog, Form, ImageUploader, Selector, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { INCIDENT_KINDS, SEVERITIES } from '../../../shared/carelog';
import { get, post } from '../../api';
import { photoToDataUrl } from '../../components/photo';
import { type Dict, useT } from '../../i18n';
import { incidentDict } from '../duty/IncidentsPanel';
import type { RosterPupil } from '../rollcall/types';

const dict: Dict = {
  zh: {
    pupils: '涉及的学生',
    kind: '类型',
    severity: '严重程度',
    description: '发生了什么',
    actionTaken: '已采取的处理',
    photo: '照片（可选）',
    submit: '报告并通知',
    confirm: '将立即通知家长、班主任和值班领导（较重、严重时还有年级组长和学校领导）。确定报告吗？',
    sent: '已报告，已通知 {n} 人',
    required: '请选择学生、类型、严重程度并描述经过',
  },
  en: {
    pupils: 'Pupils involved',
    kind: 'Kind',
    severity: 'Severity',
    description: 'What happened',
    actionTaken: 'What was done',
    photo: 'Photo (optional)',
    submit: 'Report and notify',
    confirm:
      'Guardians, the homeroom teacher and the duty leaders are told at once (for serious ones also the grade head and school leaders). Report?',
    sent: 'Reported; {n} people told',
    required: 'Choose pupils, kind and severity, and describe what happened',
  },
};

interface Values {
  studentIds: string[];
  kind: string[];
  severity: string[];
  description: string;
  actionTaken: string;
}

export function IncidentForm({ groupId }: { groupId: string }) {
  const t = useT(dict);
  const ti = useT(incidentDict);
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [photos, setPhotos] = useState<{ url: string }[]>([]);
  const roster = useQuery({
    queryKey: ['daily-roster', groupId],
    queryFn: () => get<{ pupils: RosterPupil[] }>(`/daily/groups/${groupId}/roster`),
  });
  const send = useMutation({
    mutationFn: (v: Values) =>
      post<{ id: string; told: number }>('/carelog/incidents', {
        groupId,
        studentIds: v.studentIds,
        kind: v.kind[0],
        severity: v.severity[0],
        description: v.description,
        actionTaken: v.actionTaken ?? '',
        photo: photos[0]?.url ?? null,
      }),
    onSuccess: (r) => {
      Toast.show({ icon: 'success', content: t('sent', { n: r.told }) });
      form.resetFields();
      setPhotos([]);
      qc.invalidateQueries({ queryKey: ['carelog-incidents'] });
    },
    onError: (e: Error) => Toast.show({ content: e.message, duration: 3000 }),
  });
  const submit = async (v: Values) => {
    if (!v.studentIds?.length || !v.kind?.length || !v.severity?.length || !v.description?.trim()) {
      Toast.show({ content: t('required') });
      return;
    }
    if (await Dialog.confirm({ content: t('confirm') })) send.mutate(v);
  };
  const present = roster.data?.pupils ?? [];
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      footer={
        <Button block type="submit" color="danger" size="large" loading={send.isPending} data-testid="incident-submit">
          {t('submit')}
        </Button>
      }
    >
      <Form.Item name="studentIds" label={t('pupils')}>
        <Checkbox.Group>
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
            {present.map((p) => (
              <Checkbox key={p.studentId} value={p.studentId} style={{ '--font-size': '15px' }}>
                {p.name}
              </Checkbox>
            ))}
          </div>
        </Checkbox.Group>
      </Form.Item>
      <Form.Item name="kind" label={t('kind')}>
        <Selector columns={4} options={INCIDENT_KINDS.map((k) => ({ value: k, label: ti(k) }))} />
      </Form.Item>
      <Form.Item name="severity" label={t('severity')}>
        <Selector columns={3} options={SEVERITIES.map((k) => ({ value: k, label: ti(k) }))} />
      </Form.Item>
      <Form.Item name="description" label={t('description')}>
        <TextArea rows={3} maxLength={1000} showCount data-testid="incident-description" />
      </Form.Item>
      <Form.Item name="actionTaken" label={t('actionTaken')}>
        <TextArea rows={2} maxLength={1000} />
      </Form.Item>
      <Form.Item label={t('photo')}>
        <ImageUploader value={photos} onChange={setPhotos} maxCount={1} upload={async (file) => ({ url: await photoToDataUrl(file) })} />
      </Form.Item>
    </Form>
  );
}
