/** 活动记录: what the group did today (category, content, up to three small photos); saving again edits it. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, ImageUploader, Selector, TextArea, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { ACTIVITY_CATEGORIES } from '../../../shared/carelog';
import { api, get } from '../../api';
import { photoToDataUrl } from '../../components/photo';
import { type Dict, useT } from '../../i18n';

const dict: Dict = {
  zh: {
    category: '活动类别',
    content: '今天做了什么',
    photos: '照片（最多 3 张）',
    save: '保存活动记录',
    saved: '已保存',
    homework: '作业辅导',
    reading: '阅读',
    sports: '体育活动',
    art: '艺术',
    science: '科技',
    club: '社团',
    other: '其他',
  },
  en: {
    category: 'Category',
    content: 'What the group did',
    photos: 'Photos (up to 3)',
    save: 'Save activity',
    saved: 'Saved',
    homework: 'Homework',
    reading: 'Reading',
    sports: 'Sports',
    art: 'Art',
    science: 'Science',
    club: 'Club',
    other: 'Other',
  },
};

interface Activity {
  groupId: string;
  category: string;
  content: string;
  photos: string[];
}

export function ActivityForm({ groupId }: { groupId: string }) {
  const t = useT(dict);
  const qc = useQueryClient();
  const [form] = Form.useForm<{ category: string[]; content: string }>();
  const [photos, setPhotos] = useState<{ url: string }[]>([]);
  const current = useQuery({
    queryKey: ['carelog-activity', groupId],
    queryFn: () => get<{ activities: Activity[] }>(`/carelog/activities?groupId=${groupId}`),
  });
  const a = current.data?.activities[0];
  useEffect(() => {
    form.setFieldsValue({ category: a ? [a.category] : [], content: a?.content ?? '' });
    setPhotos((a?.photos ?? []).map((url) => ({ url })));
  }, [a, form]);
  const save = useMutation({
    mutationFn: (v: { category: string[]; content: string }) =>
      api('PUT', `/carelog/groups/${groupId}/activity`, {
        category: v.category?.[0],
        content: v.content ?? '',
        photos: photos.map((p) => p.url),
      }),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('saved') });
      qc.invalidateQueries({ queryKey: ['carelog-activity', groupId] });
    },
    onError: (e: Error) => Toast.show({ content: e.message, duration: 3000 }),
  });
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) => save.mutate(v)}
      footer={
        <Button block type="submit" color="primary" size="large" loading={save.isPending} data-testid="activity-save">
          {t('save')}
        </Button>
      }
    >
      <Form.Item name="category" label={t('category')}>
        <Selector columns={4} options={ACTIVITY_CATEGORIES.map((c) => ({ value: c, label: t(c) }))} />
      </Form.Item>
      <Form.Item name="content" label={t('content')}>
        <TextArea rows={4} maxLength={1000} showCount />
      </Form.Item>
      <Form.Item label={t('photos')}>
        <ImageUploader value={photos} onChange={setPhotos} maxCount={3} upload={async (file) => ({ url: await photoToDataUrl(file) })} />
      </Form.Item>
    </Form>
  );
}
