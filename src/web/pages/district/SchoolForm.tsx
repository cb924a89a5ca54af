/** Add or edit a school of the district: code, name, address, phone, remote-area flag. */
import { App, Form, Input, Modal, Switch } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { schoolInput } from '../../../shared/roster';
import { patch, post } from '../../api';
import { useT } from '../../i18n';
import { errorText, type School, zodRule } from '../school/roster';
import { dict } from './dict';

type Values = Omit<School, 'id'>;

export function SchoolForm({ open, school, onClose }: { open: boolean; school?: School | null; onClose(): void }) {
  const t = useT(dict);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (school)
      form.setFieldsValue({ code: school.code, name: school.name, address: school.address, phone: school.phone, remote: school.remote });
  }, [open, school, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        code: v.code.trim(),
        name: v.name.trim(),
        address: v.address?.trim() ?? '',
        phone: v.phone?.trim() ?? '',
        remote: !!v.remote,
      };
      return school ? patch<School>(`/district/schools/${school.id}`, body) : post<School>('/district/schools', body);
    },
    onSuccess: (s) => {
      message.success(school ? t('saved') : t('created', { name: s.name }));
      qc.invalidateQueries({ queryKey: ['district', 'schools'] });
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });

  return (
    <Modal
      open={open}
      title={school ? t('editSchool') : t('addSchool')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={save.isPending}
    >
      <Form name="districtSchool" form={form} layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ remote: false }}>
        <Form.Item
          name="name"
          label={t('name')}
          rules={[{ required: true, whitespace: true, message: t('nameRequired') }, zodRule(schoolInput.shape.name, t('nameTooLong'))]}
        >
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('code')}
          extra={t('codeHint')}
          rules={[{ required: true, whitespace: true, message: t('codeRequired') }, zodRule(schoolInput.shape.code, t('codeInvalid'))]}
        >
          <Input maxLength={32} autoComplete="off" />
        </Form.Item>
        <Form.Item name="address" label={t('address')} rules={[zodRule(schoolInput.shape.address, t('addressTooLong'))]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="phone" label={t('phone')} rules={[zodRule(schoolInput.shape.phone, t('phoneTooLong'))]}>
          <Input maxLength={30} inputMode="tel" />
        </Form.Item>
        <Form.Item name="remote" label={t('remote')} valuePropName="checked" extra={t('remoteHint')}>
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
