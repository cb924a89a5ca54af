/** Add or edit an authorised pick-up adult: name, relation, phone, photo (scaled down here), validity. */
import { CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import { App, AutoComplete, Avatar, Button, DatePicker, Form, Input, Modal, Space, Typography, Upload } from 'antd';
import { useMutation } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { guardianInput, RELATIONS } from '../../../shared/roster';
import { patch, post } from '../../api';
import { useT } from '../../i18n';
import { errorText, zodRule } from '../school/roster';
import { dict, type Pickup } from './dict';
import { downscalePhoto, initialsOf } from './photo';

interface Values {
  name: string;
  relation: string;
  phone: string;
  validFrom?: Dayjs | null;
  validTo?: Dayjs | null;
}

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

export function PickupForm({
  open,
  studentId,
  pickup,
  onClose,
  onSaved,
}: {
  open: boolean;
  studentId: string;
  pickup?: Pickup | null;
  onClose(): void;
  onSaved(p: Pickup): void;
}) {
  const t = useT(dict);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [photo, setPhoto] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const name = Form.useWatch('name', form) ?? '';

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setPhoto(pickup?.photo ?? null);
    if (pickup) {
      form.setFieldsValue({
        name: pickup.name,
        relation: pickup.relation,
        phone: pickup.phone,
        validFrom: pickup.validFrom ? dayjs(pickup.validFrom) : null,
        validTo: pickup.validTo ? dayjs(pickup.validTo) : null,
      });
    }
  }, [open, pickup, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        name: v.name.trim(),
        relation: v.relation.trim(),
        phone: v.phone.trim(),
        photo,
        validFrom: day(v.validFrom),
        validTo: day(v.validTo),
      };
      return pickup ? patch<Pickup>(`/pickups/${pickup.id}`, body) : post<Pickup>(`/students/${studentId}/pickups`, body);
    },
    onSuccess: (p) => {
      message.success(pickup ? t('saved') : t('added'));
      onSaved(p);
    },
    onError: (e) => message.error(errorText(e)),
  });

  const choose = async (file: File) => {
    setReading(true);
    try {
      setPhoto(await downscalePhoto(file));
    } catch {
      message.error(t('photoFailed'));
    } finally {
      setReading(false);
    }
    return false; // nothing is uploaded by antd: the photo travels in the form's JSON
  };

  const req = (f: string) => ({ required: true, whitespace: true, message: t('required', { f: t(f) }) });

  return (
    <Modal
      open={open}
      title={pickup ? t('editPickup') : t('addPickup')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={save.isPending}
      okButtonProps={{ disabled: reading }}
    >
      <Form name="pickup" form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t('photo')} extra={t('photoHint')}>
          <Space size="middle">
            <Avatar size={72} src={photo ?? undefined} alt={name} style={{ background: '#e6f0ff', color: '#1677ff', fontSize: 22 }}>
              {initialsOf(name)}
            </Avatar>
            <Upload accept="image/*" showUploadList={false} beforeUpload={choose} maxCount={1}>
              <Button icon={<CameraOutlined />} loading={reading}>
                {t('choosePhoto')}
              </Button>
            </Upload>
            {photo && (
              <Button icon={<DeleteOutlined />} onClick={() => setPhoto(null)}>
                {t('removePhoto')}
              </Button>
            )}
          </Space>
        </Form.Item>
        <Form.Item name="name" label={t('name')} rules={[req('name'), { max: 40, message: t('nameInvalid') }]}>
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="relation" label={t('relation')} rules={[req('relation'), { max: 20, message: t('relationInvalid') }]}>
          <AutoComplete options={[...RELATIONS, '保姆', '邻居'].map((r) => ({ value: r }))} maxLength={20} />
        </Form.Item>
        <Form.Item name="phone" label={t('phone')} rules={[req('phone'), zodRule(guardianInput.shape.phone, '手机号格式不正确')]}>
          <Input inputMode="tel" maxLength={20} autoComplete="off" />
        </Form.Item>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item name="validFrom" label={t('validFrom')} style={{ flex: 1, marginBottom: 8 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="validTo"
            label={t('validTo')}
            style={{ flex: 1, marginBottom: 8 }}
            dependencies={['validFrom']}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_r, v: Dayjs | null) => {
                  const from: Dayjs | null = getFieldValue('validFrom');
                  if (v && from && v.isBefore(from, 'day')) throw new Error('有效期结束日期不能早于开始日期');
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Typography.Text type="secondary">{t('validityHint')}</Typography.Text>
      </Form>
    </Modal>
  );
}
