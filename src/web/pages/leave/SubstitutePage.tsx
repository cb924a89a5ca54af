/**
 * 临时接送人: the guardian announces, for one day, another adult who will collect the child (P1):
 * name, relation, phone, the last four digits of the ID card, a photo for the teacher to compare.
 * The teacher sees this person in the release dialog on that day only.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Avatar, Button, Dialog, ErrorBlock, Form, ImageUploader, Input, List, NavBar, Selector, Skeleton, Toast } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router-dom';
import { get, post } from '../../api';
import { photoToDataUrl } from '../../components/photo';
import { type Dict, useLocale, useT } from '../../i18n';
import { dayLabel, nextDays } from './days';

const RELATIONS = ['祖父', '祖母', '外祖父', '外祖母', '亲属', '邻居', '朋友', '保姆'];

const dict: Dict = {
  zh: {
    title: '临时接送人',
    hint: '只在选定的那一天有效。老师会核对照片和身份证后四位。',
    day: '哪一天',
    name: '姓名',
    relation: '与孩子的关系',
    phone: '手机号',
    idLast4: '身份证号后四位',
    photo: '照片（老师核对）',
    save: '登记临时接送人',
    saved: '已登记，老师会在当天看到',
    list: '已登记',
    none: '没有登记临时接送人',
    cancel: '取消',
    cancelConfirm: '取消这位临时接送人？',
    required: '请填写{f}',
    phoneInvalid: '请输入 11 位手机号',
    idInvalid: '4 位数字，最后一位可为 X',
  },
  en: {
    title: 'Substitute for a day',
    hint: 'Valid on the chosen day only. The teacher checks the photo and the ID digits.',
    day: 'Day',
    name: 'Name',
    relation: 'Relation',
    phone: 'Mobile',
    idLast4: 'Last 4 of the ID card',
    photo: 'Photo (checked at pick-up)',
    save: 'Announce the substitute',
    saved: 'Announced; the teacher will see it that day',
    list: 'Announced',
    none: 'No substitutes announced',
    cancel: 'Cancel',
    cancelConfirm: 'Cancel this substitute?',
    required: 'Please enter {f}',
    phoneInvalid: 'Enter an 11-digit mobile number',
    idInvalid: '4 digits; the last may be X',
  },
};

interface Substitute {
  id: string;
  day: string;
  name: string;
  relation: string;
  phone: string;
  idLast4: string | null;
  photo: string | null;
}

export default function SubstitutePage() {
  const t = useT(dict);
  const { locale } = useLocale();
  const { studentId } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const key = ['afternoon-substitutes', studentId];
  const list = useQuery({ queryKey: key, queryFn: () => get<Substitute[]>(`/afternoon/children/${studentId}/substitutes`) });
  const refresh = () => {
    qc.invalidateQueries({ queryKey: key });
    qc.invalidateQueries({ queryKey: ['afternoon-today', studentId] });
  };
  const add = useMutation({
    mutationFn: (v: { day: string[]; name: string; relation: string[]; phone: string; idLast4?: string; photo?: { url: string }[] }) =>
      post(`/afternoon/children/${studentId}/substitutes`, {
        day: v.day[0],
        name: v.name,
        relation: v.relation[0],
        phone: v.phone,
        idLast4: v.idLast4 ? v.idLast4 : null,
        photo: v.photo?.[0]?.url ?? null,
      }),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('saved') });
      form.resetFields();
      refresh();
    },
    onError: (e) => Toast.show({ content: (e as Error).message }),
  });
  const cancel = useMutation({
    mutationFn: (id: string) => post(`/afternoon/children/${studentId}/substitutes/${id}/cancel`),
    onSuccess: refresh,
    onError: (e) => Toast.show({ content: (e as Error).message }),
  });
  const days = nextDays(8, locale);
  return (
    <div>
      <NavBar onBack={() => navigate('/m/family')}>{t('title')}</NavBar>
      <div style={{ padding: '8px 16px', color: '#888', fontSize: 13 }}>{t('hint')}</div>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ day: [days[0].value] }}
        onFinish={(v) => add.mutate(v)}
        footer={
          <Button block type="submit" color="primary" size="large" loading={add.isPending}>
            {t('save')}
          </Button>
        }
      >
        <Form.Item name="day" label={t('day')} rules={[{ required: true }]}>
          <Selector columns={2} options={days} />
        </Form.Item>
        <Form.Item name="name" label={t('name')} rules={[{ required: true, message: t('required', { f: t('name') }) }]}>
          <Input placeholder={t('name')} maxLength={40} />
        </Form.Item>
        <Form.Item name="relation" label={t('relation')} rules={[{ required: true, message: t('required', { f: t('relation') }) }]}>
          <Selector columns={4} options={RELATIONS.map((r) => ({ label: r, value: r }))} />
        </Form.Item>
        <Form.Item name="phone" label={t('phone')} rules={[{ required: true, pattern: /^1\d{10}$/, message: t('phoneInvalid') }]}>
          <Input type="tel" inputMode="numeric" maxLength={11} placeholder="13800000000" />
        </Form.Item>
        <Form.Item name="idLast4" label={t('idLast4')} rules={[{ pattern: /^\d{3}[\dXx]$/, message: t('idInvalid') }]}>
          <Input maxLength={4} placeholder="123X" />
        </Form.Item>
        <Form.Item name="photo" label={t('photo')}>
          <ImageUploader maxCount={1} upload={async (file) => ({ url: await photoToDataUrl(file) })} />
        </Form.Item>
      </Form>
      {list.isLoading && <Skeleton.Paragraph lineCount={3} animated style={{ padding: 12 }} />}
      {list.error && <ErrorBlock status="default" description={(list.error as Error).message} />}
      {list.data && (
        <List header={t('list')}>
          {list.data.length === 0 && <List.Item>{t('none')}</List.Item>}
          {list.data.map((s) => (
            <List.Item
              key={s.id}
              prefix={<Avatar src={s.photo ?? ''} />}
              description={`${dayLabel(s.day, locale)} · ${s.relation} · ${s.phone}${s.idLast4 ? ` · ${s.idLast4}` : ''}`}
              extra={
                <Button
                  size="mini"
                  onClick={async () => {
                    if (await Dialog.confirm({ content: t('cancelConfirm') })) cancel.mutate(s.id);
                  }}
                >
                  {t('cancel')}
                </Button>
              }
            >
              {s.name}
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}
