/** 年级组长: which staff member heads each grade; told of serious incidents of that grade's pupils. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, get } from '../../api';
import { type Dict, useT } from '../../i18n';

const dict: Dict = {
  zh: {
    title: '年级组长（托管事件告知）',
    grade: '{g} 年级',
    save: '保存',
    saved: '已保存',
    hint: '较重、严重的托管事件会同时告知该年级的组长',
  },
  en: {
    title: 'Grade heads (told of incidents)',
    grade: 'Grade {g}',
    save: 'Save',
    saved: 'Saved',
    hint: 'Serious incidents are also told to the grade head',
  },
};

export function GradeHeadsCard() {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const heads = useQuery({
    queryKey: ['grade-heads'],
    queryFn: () => get<{ heads: { grade: number; staffId: string }[] }>('/carelog/grade-heads'),
  });
  const staff = useQuery({
    queryKey: ['staff-all'],
    queryFn: () => get<{ items: { id: string; name: string }[] }>('/staff?pageSize=200'),
  });
  const [value, setValue] = useState<Record<number, string | null>>({});
  useEffect(() => {
    setValue(Object.fromEntries((heads.data?.heads ?? []).map((h) => [h.grade, h.staffId])));
  }, [heads.data]);
  const save = useMutation({
    mutationFn: () =>
      api('PUT', '/carelog/grade-heads', { heads: [1, 2, 3, 4, 5, 6].map((g) => ({ grade: g, staffId: value[g] ?? null })) }),
    onSuccess: () => {
      message.success(t('saved'));
      qc.invalidateQueries({ queryKey: ['grade-heads'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const options = (staff.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }));
  return (
    <Card title={t('title')} loading={heads.isLoading}>
      <Typography.Paragraph type="secondary">{t('hint')}</Typography.Paragraph>
      <Space wrap>
        {[1, 2, 3, 4, 5, 6].map((g) => (
          <Space key={g} direction="vertical" size={2}>
            <span>{t('grade', { g })}</span>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 160 }}
              options={options}
              value={value[g] ?? undefined}
              onChange={(v) => setValue((old) => ({ ...old, [g]: v ?? null }))}
            />
          </Space>
        ))}
      </Space>
      <div style={{ marginTop: 12 }}>
        <Button type="primary" onClick={() => save.mutate()} loading={save.isPending}>
          {t('save')}
        </Button>
      </div>
    </Card>
  );
}
