/** Service venues per campus with their capacities (the plan's offerings are placed in them). */
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Select, Switch, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { VENUE_KINDS } from '../../../shared/plan-inputs';
import { patch, post } from '../../api';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { useT } from '../../i18n';
import { errorText, useCampuses } from '../school/roster';
import { dict } from './dict';
import { useLabel } from './labels';
import { useVenues, type Venue } from './types';

export function VenuesPanel({ canWrite }: { canWrite: boolean }) {
  const t = useT(dict);
  const label = useLabel();
  const venues = useVenues();
  const [editing, setEditing] = useState<Venue | null | undefined>(undefined);
  if (venues.isLoading) return <Loading />;
  if (venues.error) return <ErrorState error={venues.error} onRetry={() => venues.refetch()} />;
  return (
    <>
      {canWrite && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} style={{ marginBottom: 16 }}>
          {t('addVenue')}
        </Button>
      )}
      <Table<Venue>
        rowKey="id"
        dataSource={venues.data}
        pagination={false}
        size="middle"
        locale={{ emptyText: <EmptyState description={t('noVenues')} /> }}
        columns={[
          { title: t('campus'), dataIndex: 'campusName' },
          { title: t('venueName'), dataIndex: 'name' },
          { title: t('venueKind'), dataIndex: 'kind', render: (k: string) => label('venueKind', k) },
          { title: t('capacity'), dataIndex: 'capacity', align: 'right' },
          {
            title: t('status'),
            dataIndex: 'active',
            render: (a: boolean) => (a ? <Tag color="green">{t('active')}</Tag> : <Tag>{t('inactive')}</Tag>),
          },
          ...(canWrite
            ? [
                {
                  title: t('actions'),
                  key: 'a',
                  width: 90,
                  render: (_: unknown, v: Venue) => (
                    <Button type="link" icon={<EditOutlined />} onClick={() => setEditing(v)} aria-label={`${t('edit')} ${v.name}`}>
                      {t('edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <VenueForm open={editing !== undefined} venue={editing} onClose={() => setEditing(undefined)} />
    </>
  );
}

function VenueForm({ open, venue, onClose }: { open: boolean; venue?: Venue | null; onClose(): void }) {
  const t = useT(dict);
  const label = useLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const campuses = useCampuses(open);
  const [form] = Form.useForm<Pick<Venue, 'campusId' | 'name' | 'kind' | 'capacity' | 'active'>>();
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (venue) form.setFieldsValue(venue);
  }, [open, venue, form]);
  const save = useMutation({
    mutationFn: (v: Pick<Venue, 'campusId' | 'name' | 'kind' | 'capacity' | 'active'>) =>
      venue ? patch(`/venues/${venue.id}`, v) : post('/venues', v),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['venues'] });
      qc.invalidateQueries({ queryKey: ['plan'] });
      message.success(t('saved'));
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal
      open={open}
      title={venue ? t('editVenue') : t('addVenue')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={save.isPending}
    >
      <Form
        name="venue"
        form={form}
        layout="vertical"
        initialValues={{ kind: 'classroom', active: true }}
        onFinish={(v) => save.mutate({ ...v, name: v.name.trim() })}
      >
        <Form.Item name="campusId" label={t('campus')} rules={[{ required: true, message: t('campus') }]}>
          <Select options={(campuses.data ?? []).map((c) => ({ value: c.id, label: c.name }))} loading={campuses.isLoading} />
        </Form.Item>
        <Form.Item name="name" label={t('venueName')} rules={[{ required: true, whitespace: true, message: t('venueName') }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="kind" label={t('venueKind')}>
          <Select options={VENUE_KINDS.map((k) => ({ value: k, label: label('venueKind', k) }))} />
        </Form.Item>
        <Form.Item name="capacity" label={t('capacity')} rules={[{ required: true, message: t('capacity') }]}>
          <InputNumber min={1} max={2000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="active" label={t('active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
