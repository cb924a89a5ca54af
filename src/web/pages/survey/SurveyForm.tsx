/** New or edited survey: term, title, the letter to guardians, the closing time. */
import { App, DatePicker, Form, Input, Modal, Select } from 'antd';
import { useMutation } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, patch, post } from '../../api';
import { useT } from '../../i18n';
import { dict } from './dict';
import type { Survey } from './types';

interface Values {
  termId: string;
  title: string;
  intro: string;
  closesAt: Dayjs | null;
}

export function SurveyForm({
  survey,
  terms,
  onClose,
  onSaved,
}: {
  survey: Survey | null;
  terms: { id: string; name: string }[];
  onClose(): void;
  onSaved(s: Survey): void;
}) {
  const t = useT(dict);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { title: v.title, intro: v.intro ?? '', closesAt: v.closesAt ? v.closesAt.toISOString() : null };
      return survey ? patch<Survey>(`/surveys/${survey.id}`, body) : post<Survey>('/surveys', { ...body, termId: v.termId });
    },
    onSuccess: (s) => {
      message.success(t('saved'));
      onSaved(s);
    },
    onError: (e) => message.error(e instanceof ApiError ? e.message : String(e)),
  });
  const defaultTitle = terms[0] ? `${terms[0].name}课后服务需求调查` : '';
  return (
    <Modal
      open
      title={survey ? t('editSurvey') : t('newSurvey')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        initialValues={{
          termId: survey?.termId ?? terms[0]?.id,
          title: survey?.title ?? defaultTitle,
          intro: survey?.intro ?? '',
          closesAt: survey?.closesAt ? dayjs(survey.closesAt) : null,
        }}
      >
        <Form.Item
          name="termId"
          label={t('term')}
          rules={[{ required: true, message: t('noTerm') }]}
          help={terms.length === 0 ? t('noTerm') : undefined}
        >
          <Select disabled={!!survey} options={terms.map((x) => ({ value: x.id, label: x.name }))} />
        </Form.Item>
        <Form.Item name="title" label={t('title')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="intro" label={t('intro')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={5} maxLength={2000} showCount placeholder={t('introPlaceholder')} />
        </Form.Item>
        <Form.Item name="closesAt" label={t('closesAtLabel')} help={t('closesAtHelp')}>
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            disabledDate={(d) => d.isBefore(dayjs(), 'day')}
            style={{ width: 240 }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
