/** The office sets the leave rules: the cut-off (a time on the day, or hours before the session) and who approves. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Radio, Skeleton, Space, Stepper, Toast } from 'antd-mobile';
import type { AfternoonSettings } from '../../../shared/afternoon';
import { api, get } from '../../api';
import { type Dict, useT } from '../../i18n';

const dict: Dict = {
  zh: {
    title: '请假规则',
    mode: '截止时间',
    time: '请假当天的某个时间之前',
    hours: '托管开始前若干小时',
    at: '截止时刻（HH:MM）',
    before: '提前小时数',
    approver: '审批',
    auto: '自动批准',
    homeroom: '班主任审批',
    office: '学校办公室审批',
    save: '保存规则',
    saved: '已保存',
  },
  en: {
    title: 'Leave rules',
    mode: 'Cut-off',
    time: 'By a time on the day',
    hours: 'Hours before the session',
    at: 'Time (HH:MM)',
    before: 'Hours before',
    approver: 'Approval',
    auto: 'Automatic',
    homeroom: 'Homeroom teacher',
    office: 'School office',
    save: 'Save rules',
    saved: 'Saved',
  },
};

export function LeaveSettings({ onDone }: { onDone: () => void }) {
  const t = useT(dict);
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ['afternoon-settings'], queryFn: () => get<AfternoonSettings>('/afternoon/settings') });
  const save = useMutation({
    mutationFn: (v: Partial<AfternoonSettings>) => api('PUT', '/afternoon/settings', { ...settings.data, ...v }),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('saved') });
      qc.invalidateQueries({ queryKey: ['afternoon-settings'] });
      qc.invalidateQueries({ queryKey: ['afternoon-leave-desk'] });
      onDone();
    },
    onError: (e) => Toast.show({ content: (e as Error).message }),
  });
  if (!settings.data) return <Skeleton.Paragraph lineCount={5} animated style={{ padding: 16 }} />;
  return (
    <Form
      layout="vertical"
      initialValues={settings.data}
      onFinish={(v) => save.mutate(v)}
      footer={
        <Button block type="submit" color="primary" size="large" loading={save.isPending}>
          {t('save')}
        </Button>
      }
    >
      <Form.Header>{t('title')}</Form.Header>
      <Form.Item name="leaveCutoffMode" label={t('mode')}>
        <Radio.Group>
          <Space direction="vertical">
            <Radio value="time">{t('time')}</Radio>
            <Radio value="hours">{t('hours')}</Radio>
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="leaveCutoffTime" label={t('at')} rules={[{ pattern: /^([01]\d|2[0-3]):[0-5]\d$/ }]}>
        <Input maxLength={5} placeholder="12:00" />
      </Form.Item>
      <Form.Item name="leaveCutoffHours" label={t('before')}>
        <Stepper min={0} max={72} />
      </Form.Item>
      <Form.Item name="leaveApprover" label={t('approver')}>
        <Radio.Group>
          <Space direction="vertical">
            <Radio value="auto">{t('auto')}</Radio>
            <Radio value="homeroom">{t('homeroom')}</Radio>
            <Radio value="office">{t('office')}</Radio>
          </Space>
        </Radio.Group>
      </Form.Item>
    </Form>
  );
}
