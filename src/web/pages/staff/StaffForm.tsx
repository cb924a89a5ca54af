/** Add or edit a member of staff, an external helper or a volunteer, with the vetting result (N16). */
import { Alert, App, DatePicker, Form, Input, Modal, Select, Switch } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { STAFF_KIND_LABELS, STAFF_KINDS, staffInput, VETTING, VETTING_LABELS } from '../../../shared/roster';
import { patch, post } from '../../api';
import { useLocale, useT } from '../../i18n';
import { errorText, type StaffRow, useCampuses, zodRule } from '../school/roster';
import { dict, KIND_LABELS_EN, VETTING_LABELS_EN } from './dict';

interface Values {
  name: string;
  phone?: string;
  kind: StaffRow['kind'];
  campusId?: string | null;
  vettingStatus: StaffRow['vettingStatus'];
  vettingCheckedOn?: Dayjs | null;
  active: boolean;
}

export function StaffForm({ open, person, onClose }: { open: boolean; person?: StaffRow | null; onClose(): void }) {
  const t = useT(dict);
  const { locale } = useLocale();
  const en = locale === 'en';
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const campuses = useCampuses(open);
  const qc = useQueryClient();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (person)
      form.setFieldsValue({
        name: person.name,
        phone: person.phone,
        kind: person.kind,
        campusId: person.campusId,
        vettingStatus: person.vettingStatus,
        vettingCheckedOn: person.vettingCheckedOn ? dayjs(person.vettingCheckedOn) : null,
        active: person.active,
      });
  }, [open, person, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        name: v.name.trim(),
        phone: v.phone?.trim() ?? '',
        kind: v.kind,
        campusId: v.campusId ?? null,
        vettingStatus: v.vettingStatus,
        vettingCheckedOn: v.vettingCheckedOn ? v.vettingCheckedOn.format('YYYY-MM-DD') : null,
        active: v.active,
      };
      return person ? patch<StaffRow>(`/staff/${person.id}`, body) : post<StaffRow>('/staff', body);
    },
    onSuccess: (s) => {
      message.success(person ? t('saved') : t('created', { name: s.name }));
      qc.invalidateQueries({ queryKey: ['staff'] });
      qc.invalidateQueries({ queryKey: ['classes'] });
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });

  return (
    <Modal
      open={open}
      title={person ? t('editStaff') : t('addStaff')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={save.isPending}
    >
      <Form
        name="staff"
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        initialValues={{ kind: 'own', vettingStatus: 'pending', active: true }}
      >
        <Form.Item
          name="name"
          label={t('name')}
          rules={[
            { required: true, whitespace: true, message: t('required', { f: t('name') }) },
            zodRule(staffInput.shape.name, t('nameInvalid')),
          ]}
        >
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="phone" label={t('phone')} rules={[zodRule(staffInput.shape.phone, '手机号格式不正确')]}>
          <Input inputMode="tel" maxLength={20} autoComplete="off" />
        </Form.Item>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item name="kind" label={t('kind')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select options={STAFF_KINDS.map((k) => ({ value: k, label: en ? KIND_LABELS_EN[k] : STAFF_KIND_LABELS[k] }))} />
          </Form.Item>
          <Form.Item name="campusId" label={t('campus')} style={{ flex: 1 }}>
            <Select allowClear placeholder={t('noCampus')} options={(campuses.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
          </Form.Item>
        </div>
        <Alert type="info" showIcon title={t('checkHint')} style={{ marginBottom: 16 }} />
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item name="vettingStatus" label={t('vetting')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select options={VETTING.map((v) => ({ value: v, label: en ? VETTING_LABELS_EN[v] : VETTING_LABELS[v] }))} />
          </Form.Item>
          <Form.Item
            name="vettingCheckedOn"
            label={t('checkedOn')}
            style={{ flex: 1 }}
            rules={[
              {
                validator: async (_r, v: Dayjs | null) => {
                  if (v?.isAfter(dayjs(), 'day')) throw new Error(t('checkFuture'));
                },
              },
            ]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </div>
        <Form.Item name="active" label={t('activeLabel')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
