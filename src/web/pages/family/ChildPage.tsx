/** A child's page for the guardian: who may pick the child up, and adding an adult (with photo). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Avatar,
  Button,
  DatePicker,
  ErrorBlock,
  Form,
  ImageUploader,
  Input,
  List,
  NavBar,
  Popup,
  Selector,
  Skeleton,
  Tag,
  Toast,
} from 'antd-mobile';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError, get, post } from '../../api';
import { photoToDataUrl } from '../../components/photo';
import { type Dict, formatDate, useLocale, useT } from '../../i18n';
import { GRADE_LABELS } from '../../../shared/roster';

interface Pickup {
  id: string;
  name: string;
  relation: string;
  phone: string;
  photo: string | null;
  validFrom: string | null;
  validTo: string | null;
}
interface ChildFile {
  id: string;
  name: string;
  grade: number;
  studentNo: string;
  pickups: Pickup[];
}

const RELATION_CHOICES = ['父亲', '母亲', '祖父', '祖母', '外祖父', '外祖母', '亲属', '保姆'];

const dict: Dict = {
  zh: {
    pickups: '可以接孩子的大人',
    pickupsNote: '老师只会把孩子交给名单上的人，并核对照片。',
    addPickup: '添加接送人',
    name: '姓名',
    relation: '与孩子的关系',
    phone: '手机号',
    photo: '照片（老师接送时核对）',
    validFrom: '从哪天起',
    validTo: '到哪天为止',
    optional: '可不填，长期有效',
    added: '已添加',
    always: '长期有效',
    until: '{from} 至 {to}',
    required: '请填写{f}',
    phoneInvalid: '请输入 11 位手机号',
  },
  en: {
    pickups: 'Adults who may collect your child',
    pickupsNote: 'Teachers release your child only to someone on this list, and check the photo.',
    addPickup: 'Add an adult',
    name: 'Name',
    relation: 'Relation to the child',
    phone: 'Mobile',
    photo: 'Photo (checked at pick-up)',
    validFrom: 'From',
    validTo: 'Until',
    optional: 'Optional: leave empty for no limit',
    added: 'Added',
    always: 'No time limit',
    until: '{from} – {to}',
    required: 'Please enter {f}',
    phoneInvalid: 'Enter an 11-digit mobile number',
  },
};

const ymd = (d: Date | null | undefined) =>
  d ? `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}` : null;

export default function ChildPage() {
  const { id } = useParams();
  const t = useT(dict);
  const { locale } = useLocale();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const child = useQuery({ queryKey: ['family', 'child', id], queryFn: () => get<ChildFile>(`/family/children/${id}`) });

  if (child.isLoading) return <Skeleton.Paragraph lineCount={8} animated style={{ padding: 12 }} />;
  if (child.error || !child.data) return <ErrorBlock status="default" description={(child.error as Error)?.message} />;
  const c = child.data;
  return (
    <div>
      <NavBar onBack={() => navigate('/m/family')}>{c.name}</NavBar>
      <div style={{ padding: '8px 16px', color: '#666' }}>
        {GRADE_LABELS[c.grade]} · {c.studentNo}
      </div>
      <List header={t('pickups')}>
        {c.pickups.map((p) => (
          <List.Item
            key={p.id}
            prefix={p.photo ? <Avatar src={p.photo} style={{ '--size': '48px' }} /> : <InitialAvatar name={p.name} />}
            description={`${p.phone} · ${p.validFrom || p.validTo ? t('until', { from: p.validFrom ? formatDate(p.validFrom, locale) : '…', to: p.validTo ? formatDate(p.validTo, locale) : '…' }) : t('always')}`}
          >
            {p.name} <Tag fill="outline">{p.relation}</Tag>
          </List.Item>
        ))}
      </List>
      <div style={{ padding: '8px 16px', color: '#999', fontSize: 13 }}>{t('pickupsNote')}</div>
      <div style={{ padding: 16 }}>
        <Button block color="primary" size="large" onClick={() => setOpen(true)}>
          {t('addPickup')}
        </Button>
      </div>
      <Popup
        visible={open}
        onMaskClick={() => setOpen(false)}
        bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: '90vh', overflowY: 'auto' }}
      >
        <AddPickupForm
          childId={c.id}
          onDone={() => {
            setOpen(false);
            qc.invalidateQueries({ queryKey: ['family', 'child', id] });
          }}
        />
      </Popup>
    </div>
  );
}

function InitialAvatar({ name }: { name: string }) {
  return (
    <div
      style={{
        width: 48,
        height: 48,
        borderRadius: 8,
        background: '#e6f0ff',
        color: '#1677ff',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        fontSize: 20,
      }}
    >
      {name.slice(0, 1)}
    </div>
  );
}

interface FormValues {
  name: string;
  relation: string[];
  phone: string;
  photo: { url: string }[];
  validFrom?: Date;
  validTo?: Date;
}

function AddPickupForm({ childId, onDone }: { childId: string; onDone: () => void }) {
  const t = useT(dict);
  const [from, setFrom] = useState(false);
  const [to, setTo] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const add = useMutation({
    mutationFn: (v: FormValues) =>
      post(`/family/children/${childId}/pickups`, {
        name: v.name,
        relation: v.relation?.[0] ?? '亲属',
        phone: v.phone,
        photo: v.photo?.[0]?.url ?? null,
        validFrom: ymd(v.validFrom),
        validTo: ymd(v.validTo),
      }),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('added') });
      form.resetFields();
      onDone();
    },
    onError: (e) => Toast.show({ content: e instanceof ApiError ? e.message : String(e) }),
  });
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) => add.mutate(v)}
      footer={
        <Button block type="submit" color="primary" size="large" loading={add.isPending}>
          {t('save')}
        </Button>
      }
    >
      <Form.Header>{t('addPickup')}</Form.Header>
      <Form.Item name="name" label={t('name')} rules={[{ required: true, message: t('required', { f: t('name') }) }]}>
        <Input placeholder={t('name')} maxLength={40} />
      </Form.Item>
      <Form.Item name="relation" label={t('relation')} rules={[{ required: true, message: t('required', { f: t('relation') }) }]}>
        <Selector columns={4} options={RELATION_CHOICES.map((r) => ({ label: r, value: r }))} />
      </Form.Item>
      <Form.Item name="phone" label={t('phone')} rules={[{ required: true, pattern: /^1\d{10}$/, message: t('phoneInvalid') }]}>
        <Input type="tel" inputMode="numeric" maxLength={11} placeholder="13800000000" />
      </Form.Item>
      <Form.Item name="photo" label={t('photo')}>
        <ImageUploader maxCount={1} upload={async (file) => ({ url: await photoToDataUrl(file) })} />
      </Form.Item>
      <Form.Item name="validFrom" label={t('validFrom')} help={t('optional')} onClick={() => setFrom(true)} trigger="onConfirm">
        <DatePicker visible={from} onClose={() => setFrom(false)}>
          {(v) => ymd(v) ?? '—'}
        </DatePicker>
      </Form.Item>
      <Form.Item name="validTo" label={t('validTo')} help={t('optional')} onClick={() => setTo(true)} trigger="onConfirm">
        <DatePicker visible={to} onClose={() => setTo(false)}>
          {(v) => ymd(v) ?? '—'}
        </DatePicker>
      </Form.Item>
    </Form>
  );
}
