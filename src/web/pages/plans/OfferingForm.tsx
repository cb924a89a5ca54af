/** One offering: kind, category, slot, grades, weekdays, capacity, venue, teacher or provider, fee, allocation. */
import { Checkbox, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Slider, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { ALLOCATIONS, CATEGORIES, FEE_MODES, OFFERING_KINDS, SLOTS } from '../../../shared/plans';
import { VETTING_LABELS } from '../../../shared/roster';
import { useT } from '../../i18n';
import { useAllStaff } from '../school/roster';
import { dict } from './dict';
import { useLabel } from './labels';
import { fenToYuan, type SnapshotOffering, useVenues, yuanToFen } from './types';
import { usePlanEdit } from './usePlanEdit';

interface Values extends Omit<SnapshotOffering, 'id' | 'gradeMin' | 'gradeMax' | 'opensAt' | 'feeFen' | 'venueName' | 'teacherName'> {
  grades: [number, number];
  fee: number | null;
  opensAt: Dayjs | null;
}

const EMPTY: Partial<Values> = {
  kind: 'club',
  category: 'sport',
  slot: 'afternoon',
  grades: [3, 6],
  weekdays: [],
  capacity: 30,
  feeMode: 'free',
  fee: 0,
  allocation: 'approval',
  providerName: '',
  description: '',
  teacherStaffId: null,
  venueId: null,
  opensAt: null,
};

export function OfferingForm({
  planId,
  offering,
  open,
  onClose,
}: {
  planId: string;
  offering?: SnapshotOffering | null;
  open: boolean;
  onClose(): void;
}) {
  const t = useT(dict);
  const label = useLabel();
  const [form] = Form.useForm<Values>();
  const edit = usePlanEdit(planId);
  const venues = useVenues();
  const staff = useAllStaff(open);
  const feeMode = Form.useWatch('feeMode', form);
  const allocation = Form.useWatch('allocation', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      offering
        ? {
            ...offering,
            grades: [offering.gradeMin, offering.gradeMax],
            fee: fenToYuan(offering.feeFen),
            opensAt: offering.opensAt ? dayjs(offering.opensAt) : null,
          }
        : EMPTY,
    );
  }, [open, offering, form]);

  const submit = (v: Values) => {
    const body = {
      kind: v.kind,
      category: v.category,
      name: v.name.trim(),
      description: v.description?.trim() ?? '',
      slot: v.slot,
      gradeMin: v.grades[0],
      gradeMax: v.grades[1],
      weekdays: [...v.weekdays].sort(),
      capacity: v.capacity,
      venueId: v.venueId ?? null,
      teacherStaffId: v.teacherStaffId ?? null,
      providerName: v.providerName?.trim() ?? '',
      feeMode: v.feeMode,
      feeFen: v.feeMode === 'free' ? 0 : yuanToFen(v.fee),
      allocation: v.allocation,
      opensAt: v.allocation === 'fcfs' && v.opensAt ? v.opensAt.format() : null,
    };
    edit.mutate(offering ? { method: 'PATCH', path: `/offerings/${offering.id}`, body } : { method: 'POST', path: '/offerings', body }, {
      onSuccess: onClose,
    });
  };

  return (
    <Modal
      open={open}
      title={offering ? t('editOffering') : t('addOffering')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={edit.isPending}
      width={720}
    >
      <Form name="offering" form={form} layout="vertical" onFinish={submit}>
        <Space size="large" wrap>
          <Form.Item name="kind" label={t('kind')}>
            <Radio.Group optionType="button" options={OFFERING_KINDS.map((k) => ({ value: k, label: label('kind', k) }))} />
          </Form.Item>
          <Form.Item name="category" label={t('category')}>
            <Select style={{ width: 140 }} options={CATEGORIES.map((c) => ({ value: c, label: label('category', c) }))} />
          </Form.Item>
          <Form.Item name="slot" label={t('slot')}>
            <Select style={{ width: 160 }} options={SLOTS.map((s) => ({ value: s, label: label('slot', s) }))} />
          </Form.Item>
        </Space>
        <Form.Item name="name" label={t('offeringName')} rules={[{ required: true, whitespace: true, message: t('nameRequired') }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="description" label={t('description')}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
        <Space size="large" wrap align="start">
          <Form.Item name="grades" label={t('grades')} style={{ width: 240 }}>
            <Slider range min={1} max={6} marks={{ 1: '1', 2: '2', 3: '3', 4: '4', 5: '5', 6: '6' }} />
          </Form.Item>
          <Form.Item name="weekdays" label={t('weekdays')} rules={[{ required: true, message: t('weekdaysRequired') }]}>
            <Checkbox.Group options={[1, 2, 3, 4, 5].map((d) => ({ value: d, label: label('weekday', d) }))} />
          </Form.Item>
          <Form.Item name="capacity" label={t('seats')} rules={[{ required: true, message: t('seats') }]}>
            <InputNumber min={1} max={2000} precision={0} style={{ width: 100 }} />
          </Form.Item>
        </Space>
        <Space size="large" wrap>
          <Form.Item name="venueId" label={t('venue')}>
            <Select
              allowClear
              style={{ width: 220 }}
              options={(venues.data ?? [])
                .filter((v) => v.active || v.id === offering?.venueId)
                .map((v) => ({ value: v.id, label: `${v.name}（${v.capacity}）` }))}
            />
          </Form.Item>
          <Form.Item name="teacherStaffId" label={t('teacher')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 220 }}
              loading={staff.isLoading}
              options={(staff.data ?? [])
                .filter((s) => s.active && s.vettingStatus !== 'barred')
                .map((s) => ({
                  value: s.id,
                  label: s.name,
                  title: `${s.name} · ${VETTING_LABELS[s.vettingStatus]}`,
                }))}
              optionRender={(o) => (
                <Space>
                  {o.label}
                  <Tag color={(staff.data ?? []).find((s) => s.id === o.value)?.vettingStatus === 'clear' ? 'green' : 'orange'}>
                    {VETTING_LABELS[(staff.data ?? []).find((s) => s.id === o.value)?.vettingStatus ?? 'pending']}
                  </Tag>
                </Space>
              )}
            />
          </Form.Item>
          <Form.Item name="providerName" label={t('provider')}>
            <Input maxLength={80} style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Space size="large" wrap>
          <Form.Item name="feeMode" label={t('feeMode')}>
            <Select style={{ width: 120 }} options={FEE_MODES.map((m) => ({ value: m, label: label('feeMode', m) }))} />
          </Form.Item>
          <Form.Item name="fee" label={t('feeAmount')}>
            <InputNumber min={0} max={100_000} precision={2} disabled={feeMode === 'free'} prefix="¥" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="allocation" label={t('allocation')}>
            <Select style={{ width: 130 }} options={ALLOCATIONS.map((a) => ({ value: a, label: label('allocation', a) }))} />
          </Form.Item>
          {allocation === 'fcfs' && (
            <Form.Item name="opensAt" label={t('opensAt')} rules={[{ required: true, message: t('opensAtRequired') }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
          )}
        </Space>
      </Form>
    </Modal>
  );
}
