/** The term's calendar: holidays (one day or a range) and make-up days, with the service-day counts. */
import { DeleteOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { del, get, post } from '../../api';
import { Loading } from '../../components/PageState';
import { formatDate, useLocale, useT } from '../../i18n';
import { errorText } from '../school/roster';
import { dict } from './dict';
import { useLabel } from './labels';
import type { TermDay, TermDetail } from './types';

interface Values {
  kind: 'holiday' | 'makeup';
  range: [Dayjs, Dayjs | null];
  asWeekday?: number;
  note?: string;
}

export function CalendarDrawer({ termId, onClose }: { termId: string | null; onClose(): void }) {
  const t = useT(dict);
  const { locale } = useLocale();
  const label = useLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const term = useQuery({ queryKey: ['term', termId], queryFn: () => get<TermDetail>(`/terms/${termId}`), enabled: !!termId });

  const refresh = (d: TermDetail) => {
    qc.setQueryData(['term', termId], d);
    qc.invalidateQueries({ queryKey: ['plan'] });
  };
  const add = useMutation({
    mutationFn: (v: Values) =>
      post<TermDetail>(`/terms/${termId}/days`, {
        day: v.range[0].format('YYYY-MM-DD'),
        to: v.kind === 'holiday' && v.range[1] ? v.range[1].format('YYYY-MM-DD') : undefined,
        kind: v.kind,
        asWeekday: v.kind === 'makeup' ? v.asWeekday : null,
        note: v.note?.trim() ?? '',
      }),
    onSuccess: (d) => {
      refresh(d);
      form.resetFields(['range', 'note']);
    },
    onError: (e) => message.error(errorText(e)),
  });
  const remove = useMutation({
    mutationFn: (day: string) => del<TermDetail>(`/terms/${termId}/days/${day}`),
    onSuccess: refresh,
    onError: (e) => message.error(errorText(e)),
  });

  const d = term.data;
  return (
    <Drawer open={!!termId} onClose={onClose} title={d ? `${t('calendarTitle')} · ${d.name}` : t('calendarTitle')} size={640}>
      {!d ? (
        <Loading />
      ) : (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('termDates')}>
              {formatDate(d.startsOn, locale)} – {formatDate(d.endsOn, locale)}
            </Descriptions.Item>
            <Descriptions.Item label={t('serviceDays')}>
              {t('daysTotal', { n: d.summary.total, s: d.summary.summer, w: d.summary.winter, m: d.summary.makeup })}
            </Descriptions.Item>
            <Descriptions.Item label={t('perWeekday')}>
              {[1, 2, 3, 4, 5].map((w) => `${label('weekday', w)} ${d.summary.perWeekday[w] ?? 0}`).join(' · ')}
            </Descriptions.Item>
          </Descriptions>
          <Form
            name="term-day"
            form={form}
            layout="inline"
            initialValues={{ kind: 'holiday', asWeekday: 1 }}
            onFinish={(v) => add.mutate(v)}
          >
            <Form.Item name="kind">
              <Select
                style={{ width: 110 }}
                options={[
                  { value: 'holiday', label: t('holiday') },
                  { value: 'makeup', label: t('makeup') },
                ]}
                aria-label={t('kind')}
              />
            </Form.Item>
            <Form.Item name="range" rules={[{ required: true, message: t('dayFrom') }]}>
              {kind === 'makeup' ? (
                <DatePickerSingle />
              ) : (
                <DatePicker.RangePicker allowEmpty={[false, true]} aria-label={t('dayFrom')} style={{ width: 250 }} />
              )}
            </Form.Item>
            {kind === 'makeup' && (
              <Form.Item name="asWeekday" label={t('asWeekday')}>
                <Select style={{ width: 90 }} options={[1, 2, 3, 4, 5].map((w) => ({ value: w, label: label('weekday', w) }))} />
              </Form.Item>
            )}
            <Form.Item name="note">
              <Input placeholder={t('note')} maxLength={60} style={{ width: 130 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={add.isPending}>
              {t('addDay')}
            </Button>
          </Form>
          <Table<TermDay>
            rowKey="day"
            size="small"
            pagination={false}
            dataSource={d.days}
            columns={[
              { title: t('dayFrom'), dataIndex: 'day', render: (v: string) => formatDate(v, locale) },
              {
                title: t('kind'),
                dataIndex: 'kind',
                render: (k: TermDay['kind'], r) =>
                  k === 'holiday' ? (
                    <Tag color="red">{t('holiday')}</Tag>
                  ) : (
                    <Tag color="blue">{`${t('makeup')} · ${label('weekday', r.asWeekday ?? 1)}`}</Tag>
                  ),
              },
              { title: t('note'), dataIndex: 'note', render: (n: string) => n || <Typography.Text type="secondary">—</Typography.Text> },
              {
                key: 'x',
                width: 60,
                render: (_: unknown, r) => (
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={`${t('delete')} ${r.day}`}
                    onClick={() => remove.mutate(r.day)}
                  />
                ),
              },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}

/** A single date held as [date, null] so the form keeps one shape for both kinds. */
function DatePickerSingle({ value, onChange }: { value?: [Dayjs, Dayjs | null]; onChange?(v: [Dayjs, null] | undefined): void }) {
  return <DatePicker value={value?.[0]} onChange={(d) => onChange?.(d ? [d, null] : undefined)} style={{ width: 250 }} />;
}
