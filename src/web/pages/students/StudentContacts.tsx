/**
 * The contacts part of a pupil's file: guardians (relation, phone) and authorised pick-up adults
 * (photo, relation, phone, validity). Changes update the cached file in place instead of reading
 * the file again, since every read of a file is audited.
 */
import { DeleteOutlined, EditOutlined, PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Card, Popconfirm, Space, Tag, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { del } from '../../api';
import { formatDate, useLocale, useT } from '../../i18n';
import { EmptyState } from '../../components/PageState';
import { errorText, todayInShanghai } from '../school/roster';
import { dict, type GuardianLink, type Pickup, type StudentFile } from './dict';
import { GuardianForm } from './GuardianForm';
import { initialsOf } from './photo';
import { PickupForm } from './PickupForm';

function Row({ avatar, title, meta, actions }: { avatar?: ReactNode; title: ReactNode; meta: ReactNode; actions?: ReactNode }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 12, padding: '10px 0', borderBottom: '1px solid #f0f0f0' }}>
      {avatar}
      <div style={{ flex: 1, minWidth: 0 }}>
        <div style={{ fontWeight: 500 }}>{title}</div>
        <div style={{ color: 'rgba(0,0,0,0.55)', fontSize: 13 }}>{meta}</div>
      </div>
      {actions && <Space size={4}>{actions}</Space>}
    </div>
  );
}

const Phone = ({ phone }: { phone: string }) => (
  <a href={`tel:${phone}`} style={{ whiteSpace: 'nowrap' }}>
    <PhoneOutlined /> {phone}
  </a>
);

export function StudentContacts({
  file,
  canSeeGuardians,
  canEditGuardians,
  canEditPickups,
}: {
  file: StudentFile;
  canSeeGuardians: boolean;
  canEditGuardians: boolean;
  canEditPickups: boolean;
}) {
  const t = useT(dict);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [guardianOpen, setGuardianOpen] = useState(false);
  const [pickupEdit, setPickupEdit] = useState<Pickup | null | undefined>(undefined); // undefined: closed, null: new
  const today = todayInShanghai();
  const fd = (d: string) => formatDate(d, locale);

  const setFile = (fn: (f: StudentFile) => StudentFile) =>
    qc.setQueryData<StudentFile>(['student', file.id], (old) => (old ? fn(old) : old));

  const unlink = useMutation({
    mutationFn: (g: GuardianLink) => del(`/students/${file.id}/guardians/${g.id}`),
    onSuccess: (_r, g) => {
      setFile((f) => ({ ...f, guardians: f.guardians.filter((x) => x.id !== g.id) }));
      message.success(t('unlinked'));
    },
    onError: (e) => message.error(errorText(e)),
  });

  const removePickup = useMutation({
    mutationFn: (p: Pickup) => del(`/pickups/${p.id}`),
    onSuccess: (_r, p) => {
      setFile((f) => ({ ...f, pickups: f.pickups.filter((x) => x.id !== p.id) }));
      message.success(t('deleted'));
    },
    onError: (e) => message.error(errorText(e)),
  });

  const validity = (p: Pickup) => {
    const text =
      p.validFrom && p.validTo
        ? `${fd(p.validFrom)} – ${fd(p.validTo)}`
        : p.validFrom
          ? t('from', { d: fd(p.validFrom) })
          : p.validTo
            ? t('until', { d: fd(p.validTo) })
            : t('always');
    const state =
      p.validTo && p.validTo < today ? (
        <Tag color="default">{t('expired')}</Tag>
      ) : p.validFrom && p.validFrom > today ? (
        <Tag color="orange">{t('notYet')}</Tag>
      ) : null;
    return (
      <>
        {text} {state}
      </>
    );
  };

  return (
    <>
      <Card
        size="small"
        title={t('guardians')}
        style={{ marginTop: 16 }}
        extra={
          canSeeGuardians &&
          canEditGuardians && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setGuardianOpen(true)}>
              {t('addGuardian')}
            </Button>
          )
        }
      >
        {!canSeeGuardians ? (
          <Typography.Text type="secondary">{t('guardiansHidden')}</Typography.Text>
        ) : file.guardians.length === 0 ? (
          <EmptyState description={t('noGuardians')} />
        ) : (
          file.guardians.map((g) => (
            <Row
              key={g.id}
              title={
                <Space size={6} wrap>
                  {g.name}
                  <Tag>{g.relation}</Tag>
                  {g.isPrimary && <Tag color="blue">{t('primary')}</Tag>}
                  {g.hasAccount && <Tag color="green">{t('hasAccount')}</Tag>}
                </Space>
              }
              meta={<Phone phone={g.phone} />}
              actions={
                canEditGuardians && (
                  <Popconfirm
                    title={t('unlinkConfirm')}
                    onConfirm={() => unlink.mutateAsync(g)}
                    okText={t('unlink')}
                    cancelText={t('cancel')}
                  >
                    <Button size="small" type="text" danger aria-label={`${t('unlink')} ${g.name}`}>
                      {t('unlink')}
                    </Button>
                  </Popconfirm>
                )
              }
            />
          ))
        )}
      </Card>

      <Card
        size="small"
        title={t('pickups')}
        style={{ marginTop: 16 }}
        extra={
          canEditPickups && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setPickupEdit(null)}>
              {t('addPickup')}
            </Button>
          )
        }
      >
        {file.pickups.length === 0 ? (
          <EmptyState description={t('noPickups')} />
        ) : (
          file.pickups.map((p) => (
            <Row
              key={p.id}
              avatar={
                <Avatar size={56} src={p.photo ?? undefined} alt={p.name} style={{ background: '#e6f0ff', color: '#1677ff', flex: 'none' }}>
                  {initialsOf(p.name)}
                </Avatar>
              }
              title={
                <Space size={6} wrap>
                  {p.name}
                  <Tag>{p.relation}</Tag>
                </Space>
              }
              meta={
                <Space size={12} wrap>
                  <Phone phone={p.phone} />
                  <span>{validity(p)}</span>
                </Space>
              }
              actions={
                canEditPickups && (
                  <>
                    <Button
                      size="small"
                      type="text"
                      icon={<EditOutlined />}
                      aria-label={`${t('edit')} ${p.name}`}
                      onClick={() => setPickupEdit(p)}
                    />
                    <Popconfirm
                      title={t('deletePickupConfirm')}
                      onConfirm={() => removePickup.mutateAsync(p)}
                      okText={t('delete')}
                      okButtonProps={{ danger: true }}
                      cancelText={t('cancel')}
                    >
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={`${t('delete')} ${p.name}`} />
                    </Popconfirm>
                  </>
                )
              }
            />
          ))
        )}
      </Card>

      {canEditGuardians && (
        <GuardianForm
          open={guardianOpen}
          studentId={file.id}
          firstGuardian={file.guardians.length === 0}
          onClose={() => setGuardianOpen(false)}
          onSaved={(g) => {
            setGuardianOpen(false);
            setFile((f) => ({
              ...f,
              guardians: [...f.guardians.filter((x) => x.id !== g.id), g].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
            }));
          }}
        />
      )}
      {canEditPickups && (
        <PickupForm
          open={pickupEdit !== undefined}
          studentId={file.id}
          pickup={pickupEdit}
          onClose={() => setPickupEdit(undefined)}
          onSaved={(p) => {
            setPickupEdit(undefined);
            setFile((f) => ({
              ...f,
              pickups: f.pickups.some((x) => x.id === p.id) ? f.pickups.map((x) => (x.id === p.id ? p : x)) : [...f.pickups, p],
            }));
          }}
        />
      )}
    </>
  );
}
