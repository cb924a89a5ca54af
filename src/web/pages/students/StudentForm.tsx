/** Add a pupil, or edit one: number, name, gender, class (which sets grade and campus), address. */
import { App, Form, Input, Modal, Radio, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { GENDERS, GRADE_LABELS, studentInput } from '../../../shared/roster';
import { patch, post } from '../../api';
import { useT } from '../../i18n';
import { errorText, useClasses, zodRule } from '../school/roster';
import { dict, type StudentFile, type StudentRow } from './dict';

interface Values {
  studentNo: string;
  name: string;
  gender: (typeof GENDERS)[number];
  classId: string;
  address?: string;
}

export function StudentForm({
  open,
  student,
  defaultClassId,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** absent: a new pupil */
  student?: StudentFile | null;
  defaultClassId?: string;
  onClose(): void;
  /** the saved row, and the address as entered (the API's row leaves it out) */
  onSaved(s: StudentRow, address?: string): void;
}) {
  const t = useT(dict);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const classes = useClasses(open);
  const qc = useQueryClient();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (student) {
      form.setFieldsValue({
        studentNo: student.studentNo,
        name: student.name,
        gender: student.gender as Values['gender'],
        classId: student.classId,
        address: student.address ?? '',
      });
    } else if (defaultClassId) {
      form.setFieldsValue({ classId: defaultClassId });
    }
  }, [open, student, defaultClassId, form]);

  // Classes grouped by campus, each labelled with its grade.
  const options = useMemo(() => {
    const groups = new Map<string, { label: string; options: { value: string; label: string }[] }>();
    for (const c of classes.data ?? []) {
      const key = c.campusName ?? '';
      if (!groups.has(key)) groups.set(key, { label: key, options: [] });
      groups.get(key)?.options.push({ value: c.id, label: `${GRADE_LABELS[c.grade]} · ${c.name}` });
    }
    return [...groups.values()];
  }, [classes.data]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { ...v, address: v.address?.trim() ?? '' };
      // The address is only sent when it could be seen (a role without contacts gets null).
      if (student && student.address === null) delete (body as Partial<Values>).address;
      return student ? patch<StudentRow>(`/students/${student.id}`, body) : post<StudentRow>('/students', body);
    },
    onSuccess: (s, v) => {
      message.success(student ? t('saved') : t('created', { name: s.name }));
      qc.invalidateQueries({ queryKey: ['students'] });
      qc.invalidateQueries({ queryKey: ['classes'] });
      onSaved(s, v.address?.trim());
    },
    onError: (e) => message.error(errorText(e)),
  });

  const req = (f: string) => ({ required: true, whitespace: true, message: t('required', { f: t(f) }) });

  return (
    <Modal
      open={open}
      title={student ? t('editStudent') : t('addStudent')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={save.isPending}
    >
      <Form name="student" form={form} layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ gender: '男' }}>
        <Form.Item
          name="studentNo"
          label={t('studentNo')}
          rules={[req('studentNo'), zodRule(studentInput.shape.studentNo, '学号格式不正确')]}
        >
          <Input maxLength={32} autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={t('name')} rules={[req('name'), zodRule(studentInput.shape.name, t('nameInvalid'))]}>
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="gender" label={t('gender')} rules={[{ required: true }]}>
          <Radio.Group options={GENDERS.map((g) => ({ value: g, label: g }))} />
        </Form.Item>
        <Form.Item name="classId" label={t('class')} rules={[{ required: true, message: t('chooseRequired', { f: t('class') }) }]}>
          <Select options={options} loading={classes.isLoading} showSearch={{ optionFilterProp: 'label' }} placeholder={t('class')} />
        </Form.Item>
        {student?.address !== null && (
          <Form.Item name="address" label={t('address')} rules={[zodRule(studentInput.shape.address, '地址不能超过 200 个字')]}>
            <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
