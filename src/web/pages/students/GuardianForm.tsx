/** Link a guardian to a pupil by phone number (an existing guardian with that number is reused). */
import { App, Checkbox, Form, Input, Modal, Select, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { guardianInput, RELATIONS } from '../../../shared/roster';
import { post } from '../../api';
import { useT } from '../../i18n';
import { errorText, zodRule } from '../school/roster';
import { dict, type GuardianLink } from './dict';

interface Values {
  name: string;
  phone: string;
  relation: (typeof RELATIONS)[number];
  isPrimary: boolean;
}

export function GuardianForm({
  open,
  studentId,
  firstGuardian,
  onClose,
  onSaved,
}: {
  open: boolean;
  studentId: string;
  /** the pupil has no guardian yet: this one becomes the primary contact by default */
  firstGuardian: boolean;
  onClose(): void;
  onSaved(g: GuardianLink): void;
}) {
  const t = useT(dict);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ isPrimary: firstGuardian });
    }
  }, [open, firstGuardian, form]);

  const save = useMutation({
    mutationFn: (v: Values) =>
      post<GuardianLink>(`/students/${studentId}/guardians`, {
        ...v,
        name: v.name.trim(),
        phone: v.phone.trim(),
        isPrimary: !!v.isPrimary,
      }),
    onSuccess: (g) => {
      message.success(t('added'));
      onSaved(g);
    },
    onError: (e) => message.error(errorText(e)),
  });

  const req = (f: string) => ({ required: true, whitespace: true, message: t('required', { f: t(f) }) });

  return (
    <Modal
      open={open}
      title={t('addGuardian')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={save.isPending}
    >
      <Form name="guardian" form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t('name')} rules={[req('name'), zodRule(guardianInput.shape.name, t('nameInvalid'))]}>
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="phone" label={t('phone')} rules={[req('phone'), zodRule(guardianInput.shape.phone, '手机号格式不正确')]}>
          <Input inputMode="tel" maxLength={20} autoComplete="off" />
        </Form.Item>
        <Form.Item name="relation" label={t('relation')} rules={[{ required: true, message: t('chooseRequired', { f: t('relation') }) }]}>
          <Select options={RELATIONS.map((r) => ({ value: r, label: r }))} />
        </Form.Item>
        <Form.Item name="isPrimary" valuePropName="checked">
          <Checkbox>{t('primary')}</Checkbox>
        </Form.Item>
        <Typography.Text type="secondary">{t('guardianHint')}</Typography.Text>
      </Form>
    </Modal>
  );
}
