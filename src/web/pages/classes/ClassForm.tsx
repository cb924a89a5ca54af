/** Add or edit a homeroom class: campus, grade, name, homeroom teacher (from the school's staff). */
import { App, Form, Input, Modal, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { classInput, GRADE_LABELS, STAFF_KIND_LABELS } from '../../../shared/roster';
import { patch, post } from '../../api';
import { useT } from '../../i18n';
import { type ClassRow, errorText, useAllStaff, useCampuses, zodRule } from '../school/roster';
import { dict } from './dict';

interface Values {
  campusId: string;
  grade: number;
  name: string;
  homeroomStaffId?: string | null;
}

export function ClassForm({
  open,
  cls,
  canSeeStaff,
  onClose,
}: {
  open: boolean;
  cls?: ClassRow | null;
  canSeeStaff: boolean;
  onClose(): void;
}) {
  const t = useT(dict);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const campuses = useCampuses(open);
  const staff = useAllStaff(open && canSeeStaff);
  const qc = useQueryClient();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (cls) form.setFieldsValue({ campusId: cls.campusId, grade: cls.grade, name: cls.name, homeroomStaffId: cls.homeroomStaffId });
    else if (campuses.data?.length === 1) form.setFieldsValue({ campusId: campuses.data[0].id });
  }, [open, cls, form, campuses.data]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body: Partial<Values> = { campusId: v.campusId, grade: v.grade, name: v.name.trim() };
      if (canSeeStaff) body.homeroomStaffId = v.homeroomStaffId ?? null;
      return cls ? patch<ClassRow>(`/classes/${cls.id}`, body) : post<ClassRow>('/classes', body);
    },
    onSuccess: () => {
      message.success(t('saved'));
      qc.invalidateQueries({ queryKey: ['classes'] });
      qc.invalidateQueries({ queryKey: ['students'] });
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });

  const staffOptions = (staff.data ?? [])
    .filter((s) => s.active || s.id === cls?.homeroomStaffId)
    .map((s) => ({ value: s.id, label: `${s.name}（${STAFF_KIND_LABELS[s.kind]}）` }));

  return (
    <Modal
      open={open}
      title={cls ? t('editClass') : t('addClass')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={save.isPending}
    >
      <Form name="class" form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="campusId" label={t('campus')} rules={[{ required: true, message: t('chooseCampus') }]}>
          <Select options={(campuses.data ?? []).map((c) => ({ value: c.id, label: c.name }))} loading={campuses.isLoading} />
        </Form.Item>
        <Form.Item name="grade" label={t('grade')} rules={[{ required: true, message: t('chooseGrade') }]}>
          <Select options={[1, 2, 3, 4, 5, 6].map((g) => ({ value: g, label: GRADE_LABELS[g] }))} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('className')}
          extra={t('classNameHint')}
          rules={[{ required: true, whitespace: true, message: t('nameRequired') }, zodRule(classInput.shape.name, t('nameTooLong'))]}
        >
          <Input maxLength={30} autoComplete="off" />
        </Form.Item>
        {canSeeStaff && (
          <Form.Item name="homeroomStaffId" label={t('homeroom')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={staffOptions}
              loading={staff.isLoading}
              placeholder={t('noHomeroom')}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
