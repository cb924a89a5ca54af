/** 午餐 (office): the caterer's contract, the weekly menu, monthly statements, the 陪餐 log and the parent committee. */
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { formatYuan, parseYuan } from '../../../shared/ledger';
import { api, get, post } from '../../api';
import { EmptyState, ErrorState, Loading } from '../../components/PageState';
import { useLocale, useT } from '../../i18n';
import { Accompaniments, Committee } from './Accompaniments';
import { addDays, dict, mondayOf, todayStr, WEEKDAY_EN, WEEKDAY_ZH } from './dict';
import { LunchStatements } from './LunchStatements';

interface Contract {
  id: string;
  catererName: string;
  licenceNo: string;
  priceFen: number;
  validFrom: string;
  validTo: string;
  fileRef: string;
  chargeAbsent: boolean;
}
interface Menu {
  weekStart: string;
  days: { weekday: number; dishes: string[] }[];
  published: boolean;
}

function ContractCard() {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const list = useQuery({ queryKey: ['lunch', 'contracts'], queryFn: () => get<Contract[]>('/lunch/contracts') });
  const add = useMutation({
    mutationFn: (v: {
      catererName: string;
      licenceNo: string;
      price: number;
      range: [dayjs.Dayjs, dayjs.Dayjs];
      fileRef?: string;
      chargeAbsent?: boolean;
    }) =>
      post('/lunch/contracts', {
        catererName: v.catererName,
        licenceNo: v.licenceNo,
        priceFen: parseYuan(String(v.price)),
        validFrom: v.range[0].format('YYYY-MM-DD'),
        validTo: v.range[1].format('YYYY-MM-DD'),
        fileRef: v.fileRef ?? '',
        chargeAbsent: !!v.chargeAbsent,
      }),
    onSuccess: () => {
      message.success(t('saved'));
      form.resetFields();
      qc.invalidateQueries({ queryKey: ['lunch'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  if (list.isLoading) return <Loading />;
  if (list.error) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  const current = list.data?.[0];
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {current ? (
        <Card title={t('contract')}>
          <Descriptions column={2} size="small">
            <Descriptions.Item label={t('caterer')}>{current.catererName}</Descriptions.Item>
            <Descriptions.Item label={t('licence')}>{current.licenceNo}</Descriptions.Item>
            <Descriptions.Item label={t('price')}>¥{formatYuan(current.priceFen)}</Descriptions.Item>
            <Descriptions.Item label={t('validity')}>
              {current.validFrom} — {current.validTo}
            </Descriptions.Item>
            <Descriptions.Item label={t('fileRef')}>{current.fileRef || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('chargeAbsent')}>{current.chargeAbsent ? '✓' : '✗'}</Descriptions.Item>
          </Descriptions>
        </Card>
      ) : (
        <EmptyState description={t('noContract')} />
      )}
      <Card title={t('addContract')} size="small">
        <Form form={form} layout="inline" onFinish={(v) => add.mutate(v)} style={{ rowGap: 12 }}>
          <Form.Item name="catererName" label={t('caterer')} rules={[{ required: true }]}>
            <Input style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="licenceNo" label={t('licence')} rules={[{ required: true }]}>
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="price" label={t('price')} rules={[{ required: true }]}>
            <InputNumber min={0.01} precision={2} step={0.5} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="range" label={t('validity')} rules={[{ required: true }]}>
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item name="fileRef" label={t('fileRef')}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="chargeAbsent" valuePropName="checked" tooltip={t('chargeAbsentHint')}>
            <Checkbox>{t('chargeAbsent')}</Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending}>
            {t('save')}
          </Button>
        </Form>
      </Card>
      {list.data && list.data.length > 1 && (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={list.data.slice(1)}
          columns={[
            { title: t('caterer'), dataIndex: 'catererName' },
            { title: t('price'), dataIndex: 'priceFen', render: (f: number) => formatYuan(f) },
            { title: t('validity'), render: (_: unknown, c: Contract) => `${c.validFrom} — ${c.validTo}` },
          ]}
        />
      )}
    </Space>
  );
}

function MenuEditor() {
  const t = useT(dict);
  const { locale } = useLocale();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [week, setWeek] = useState(() => mondayOf(todayStr()));
  const [text, setText] = useState<Record<number, string>>({});
  const [published, setPublished] = useState(true);
  const menu = useQuery({ queryKey: ['lunch', 'menu', week], queryFn: () => get<Menu>(`/lunch/menus/${week}`) });
  useEffect(() => {
    if (!menu.data) return;
    setText(Object.fromEntries(menu.data.days.map((d) => [d.weekday, d.dishes.join('\n')])));
    setPublished(menu.data.days.length ? menu.data.published : true);
  }, [menu.data]);
  const save = useMutation({
    mutationFn: () =>
      api('PUT', `/lunch/menus/${week}`, {
        published,
        days: [1, 2, 3, 4, 5]
          .map((weekday) => ({
            weekday,
            dishes: (text[weekday] ?? '')
              .split('\n')
              .map((s) => s.trim())
              .filter(Boolean),
          }))
          .filter((d) => d.dishes.length > 0),
      }),
    onSuccess: () => {
      message.success(t('saved'));
      qc.invalidateQueries({ queryKey: ['lunch', 'menu', week] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  const names = locale === 'en' ? WEEKDAY_EN : WEEKDAY_ZH;
  return (
    <Card
      title={
        <Space>
          <Button icon={<LeftOutlined />} size="small" onClick={() => setWeek(addDays(week, -7))} aria-label="previous week" />
          <span>
            {t('week')} {week} — {addDays(week, 4)}
          </span>
          <Button icon={<RightOutlined />} size="small" onClick={() => setWeek(addDays(week, 7))} aria-label="next week" />
          {menu.data?.days.length ? menu.data.published ? <Tag color="green">{t('published')}</Tag> : <Tag>{t('unpublished')}</Tag> : null}
        </Space>
      }
      extra={
        <Space>
          <Switch checked={published} onChange={setPublished} /> {t('published')}
          <Button type="primary" onClick={() => save.mutate()} loading={save.isPending}>
            {t('save')}
          </Button>
        </Space>
      }
    >
      {menu.isLoading ? (
        <Loading rows={3} />
      ) : menu.error ? (
        <ErrorState error={menu.error} onRetry={() => menu.refetch()} />
      ) : (
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(5, 1fr)', gap: 12 }}>
          {[1, 2, 3, 4, 5].map((wd) => (
            <div key={wd}>
              <Typography.Text strong>
                {names[wd]} {addDays(week, wd - 1).slice(5)}
              </Typography.Text>
              <Input.TextArea
                aria-label={names[wd]}
                rows={6}
                placeholder={t('dishesHint')}
                value={text[wd] ?? ''}
                onChange={(e) => setText({ ...text, [wd]: e.target.value })}
                style={{ marginTop: 6 }}
              />
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}

export default function LunchPage() {
  const t = useT(dict);
  return (
    <div style={{ padding: 24 }}>
      <Typography.Title level={3} className="no-print">
        {t('title')}
      </Typography.Title>
      <Tabs
        items={[
          { key: 'statements', label: t('statements'), children: <LunchStatements /> },
          { key: 'menu', label: t('menu'), children: <MenuEditor /> },
          { key: 'contract', label: t('contract'), children: <ContractCard /> },
          { key: 'accompany', label: t('accompany'), children: <Accompaniments /> },
          { key: 'committee', label: t('committee'), children: <Committee /> },
        ]}
      />
    </div>
  );
}
