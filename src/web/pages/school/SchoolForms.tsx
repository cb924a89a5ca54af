/** The school's own details (name, address, phone) and a campus (name, address), as modal forms. */
import { App, Form, Input, Modal } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { campusInput, schoolInput } from '../../../shared/roster';
import { patch, post } from '../../api';
import { useT } from '../../i18n';
import { dict } from './dict';
import { type Campus, errorText, type School, zodRule } from './roster';

export function SchoolModal({ open, school, onClose }: { open: boolean; school: School; onClose(): void }) {
  const t = useT(dict);
  const { message } = App.useApp();
  const [form] = Form.useForm<Pick<School, 'name' | 'address' | 'phone'>>();
  const qc = useQueryClient();

  useEffect(() => {
    if (open) form.setFieldsValue({ name: school.name, address: school.address, phone: school.phone });
  }, [open, school, form]);

  const save = useMutation({
    mutationFn: (v: Pick<School, 'name' | 'address' | 'phone'>) =>
      patch<School>('/school', { name: v.name.trim(), address: v.address?.trim() ?? '', phone: v.phone?.trim() ?? '' }),
    onSuccess: (s) => {
      qc.setQueryData(['school'], s);
      qc.invalidateQueries({ queryKey: ['me'] });
      message.success(t('saved'));
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });

  return (
    <Modal
      open={open}
      title={t('editSchool')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={save.isPending}
    >
      <Form name="school" form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="name"
          label={t('name')}
          rules={[{ required: true, whitespace: true, message: t('nameRequired') }, zodRule(schoolInput.shape.name, t('nameTooLong'))]}
        >
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="address" label={t('address')} rules={[zodRule(schoolInput.shape.address, t('addressTooLong'))]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="phone" label={t('phone')} rules={[zodRule(schoolInput.shape.phone, t('phoneTooLong'))]}>
          <Input maxLength={30} inputMode="tel" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function CampusModal({ open, campus, onClose }: { open: boolean; campus?: Campus | null; onClose(): void }) {
  const t = useT(dict);
  const { message } = App.useApp();
  const [form] = Form.useForm<Pick<Campus, 'name' | 'address'>>();
  const qc = useQueryClient();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (campus) form.setFieldsValue({ name: campus.name, address: campus.address });
  }, [open, campus, form]);

  const save = useMutation({
    mutationFn: (v: Pick<Campus, 'name' | 'address'>) => {
      const body = { name: v.name.trim(), address: v.address?.trim() ?? '' };
      return campus ? patch<Campus>(`/campuses/${campus.id}`, body) : post<Campus>('/campuses', body);
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['campuses'] });
      qc.invalidateQueries({ queryKey: ['classes'] });
      message.success(t('saved'));
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });

  return (
    <Modal
      open={open}
      title={campus ? t('editCampus') : t('addCampus')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={save.isPending}
    >
      <Form name="campus" form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="name"
          label={t('campusName')}
          extra={t('campusNameHint')}
          rules={[{ required: true, whitespace: true, message: t('nameRequired') }, zodRule(campusInput.shape.name, t('nameTooLong'))]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="address" label={t('address')} rules={[zodRule(campusInput.shape.address, t('addressTooLong'))]}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
