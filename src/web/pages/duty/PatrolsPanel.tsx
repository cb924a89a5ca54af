/** 巡视 on the duty console: today's patrols (newest first) and a form to record one (group or venue, rating, note, photo). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Image, Input, List, Modal, Rate, Select, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { get, post } from '../../api';
import { photoToDataUrl } from '../../components/photo';
import { type Dict, useT } from '../../i18n';
import { hhmm } from '../rollcall/types';
import type { Patrol } from './carelog-types';

const dict: Dict = {
  zh: {
    title: '巡视记录',
    add: '记录巡视',
    none: '今天还没有巡视记录',
    group: '巡视的托管组',
    rating: '评分',
    note: '情况说明',
    photo: '照片（可选）',
    pick: '拍照 / 选图',
    saved: '已记录巡视',
    by: '{who} · {t}',
  },
  en: {
    title: 'Patrols',
    add: 'Record a patrol',
    none: 'No patrols yet today',
    group: 'Group visited',
    rating: 'Rating',
    note: 'Note',
    photo: 'Photo (optional)',
    pick: 'Take / choose photo',
    saved: 'Patrol recorded',
    by: '{who} · {t}',
  },
};

export function PatrolsPanel({ groups }: { groups: { id: string; label: string }[] }) {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [photo, setPhoto] = useState<string | null>(null);
  const [form] = Form.useForm<{ groupId: string; rating: number; note: string }>();
  const list = useQuery({ queryKey: ['carelog-patrols'], queryFn: () => get<{ patrols: Patrol[] }>('/carelog/patrols') });
  const save = useMutation({
    mutationFn: (v: { groupId: string; rating: number; note: string }) => post('/carelog/patrols', { ...v, note: v.note ?? '', photo }),
    onSuccess: () => {
      message.success(t('saved'));
      setOpen(false);
      setPhoto(null);
      form.resetFields();
      qc.invalidateQueries({ queryKey: ['carelog-patrols'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const patrols = list.data?.patrols ?? [];
  return (
    <Card
      size="small"
      title={`${t('title')} (${patrols.length})`}
      style={{ marginBottom: 12 }}
      extra={
        <Button type="primary" onClick={() => setOpen(true)} disabled={groups.length === 0} data-testid="patrol-add">
          {t('add')}
        </Button>
      }
    >
      {list.error && <Typography.Text type="danger">{(list.error as Error).message}</Typography.Text>}
      {!list.isLoading && patrols.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('none')} />
      ) : (
        <List
          loading={list.isLoading}
          dataSource={patrols}
          renderItem={(p) => (
            <List.Item extra={p.photo ? <Image src={p.photo} width={56} height={56} style={{ objectFit: 'cover' }} /> : null}>
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
                    <span>{p.groupLabel || p.venueName}</span>
                    <Rate disabled value={p.rating} style={{ fontSize: 14 }} />
                  </Space>
                }
                description={
                  <>
                    {p.note && <div>{p.note}</div>}
                    <Typography.Text type="secondary">{t('by', { who: p.recordedBy ?? '', t: hhmm(p.at) })}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      <Modal open={open} title={t('add')} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={save.isPending}>
        <Form form={form} layout="vertical" initialValues={{ rating: 5 }} onFinish={(v) => save.mutate(v)}>
          <Form.Item name="groupId" label={t('group')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={groups.map((g) => ({ value: g.id, label: g.label }))}
              data-testid="patrol-group"
            />
          </Form.Item>
          <Form.Item name="rating" label={t('rating')} rules={[{ required: true }]}>
            <Rate />
          </Form.Item>
          <Form.Item name="note" label={t('note')}>
            <Input.TextArea maxLength={500} rows={3} data-testid="patrol-note" />
          </Form.Item>
          <Form.Item label={t('photo')}>
            <Space>
              <Upload
                accept="image/*"
                showUploadList={false}
                beforeUpload={(file) => {
                  photoToDataUrl(file)
                    .then(setPhoto)
                    .catch((e: Error) => message.error(e.message));
                  return false;
                }}
              >
                <Button>{t('pick')}</Button>
              </Upload>
              {photo && <Image src={photo} width={48} height={48} style={{ objectFit: 'cover' }} />}
            </Space>
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
