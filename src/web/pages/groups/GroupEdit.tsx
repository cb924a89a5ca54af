/**
 * 调整 a care group on the board: its teacher or room, or move a pupil to another group of the same
 * day and offering. The server checks every edit against the grouping rules (daily/grouping/check.ts)
 * and saves nothing when one is broken; the broken rules are listed here in Chinese.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Divider, List, Modal, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, get, patch, post } from '../../api';
import { type Dict, useT } from '../../i18n';

export interface EditableGroup {
  id: string;
  weekday: number;
  slot: string;
  campusId: string;
  offeringId: string;
  offeringName: string;
  band: string;
  index: number;
  teacherStaffId: string | null;
  venueId: string | null;
  pupils: { id: string; name: string; className: string }[];
}

const dict: Dict = {
  zh: {
    edit: '调整',
    title: '调整 {g}',
    teacher: '教师',
    venue: '场地',
    save: '保存教师和场地',
    pupils: '学生（调到同一天同一项目的另一个组）',
    moveTo: '调到…',
    saved: '已保存',
    moved: '{n} 已调到 {g}',
    blocked: '未保存：调整违反编班规则',
    barred: '（未通过审查）',
    seats: '{n} 座',
  },
  en: {
    edit: 'Edit',
    title: 'Edit {g}',
    teacher: 'Teacher',
    venue: 'Room',
    save: 'Save teacher and room',
    pupils: 'Pupils (move to another group of the same day and offering)',
    moveTo: 'Move to…',
    saved: 'Saved',
    moved: '{n} moved to {g}',
    blocked: 'Not saved: the change breaks the grouping rules',
    barred: ' (not vetted)',
    seats: '{n} seats',
  },
};

interface Staff {
  id: string;
  name: string;
  eligible: boolean;
}
interface Venue {
  id: string;
  name: string;
  campusId: string;
  capacity: number;
}

export function GroupEdit({
  group,
  siblings,
  name,
  readable,
  onClose,
}: {
  group: EditableGroup | null;
  siblings: EditableGroup[];
  name: (g: EditableGroup) => string;
  readable: (m: string) => string;
  onClose(): void;
}) {
  const t = useT(dict);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [teacher, setTeacher] = useState<string | null>(null);
  const [venue, setVenue] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  useEffect(() => {
    setTeacher(group?.teacherStaffId ?? null);
    setVenue(group?.venueId ?? null);
    setProblems([]);
  }, [group]);
  const staff = useQuery({ queryKey: ['rota-staff'], enabled: !!group, queryFn: () => get<{ staff: Staff[] }>('/rota/staff') });
  const venues = useQuery({
    queryKey: ['venues', group?.campusId],
    enabled: !!group,
    queryFn: () => get<Venue[]>(`/venues?campusId=${group?.campusId}`),
  });
  const refused = (e: Error) => {
    const v = e instanceof ApiError ? (e.details as { violations?: { message: string }[] } | undefined)?.violations : undefined;
    setProblems(v?.length ? v.map((x) => readable(x.message)) : [e.message]);
    message.error(t('blocked'));
  };
  const done = () => {
    setProblems([]);
    qc.invalidateQueries({ queryKey: ['groups-board'] });
  };
  const save = useMutation({
    mutationFn: () => patch(`/daily/groups/${group?.id}`, { teacherStaffId: teacher, venueId: venue }),
    onSuccess: () => {
      message.success(t('saved'));
      done();
    },
    onError: refused,
  });
  const move = useMutation({
    mutationFn: (v: { studentId: string; to: EditableGroup; pupil: string }) =>
      post(`/daily/groups/${group?.id}/move`, { studentId: v.studentId, toGroupId: v.to.id }),
    onSuccess: (_, v) => {
      message.success(t('moved', { n: v.pupil, g: name(v.to) }));
      done();
    },
    onError: refused,
  });
  const targets = siblings.filter((s) => group && s.id !== group.id && s.weekday === group.weekday && s.offeringId === group.offeringId);
  return (
    <Modal open={!!group} title={group ? t('title', { g: name(group) }) : ''} onCancel={onClose} footer={null} width={640} destroyOnHidden>
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('blocked')}
          description={problems.map((p) => <div key={p}>{p}</div>)}
        />
      )}
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <span>{t('teacher')}</span>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: 200 }}
            value={teacher}
            onChange={setTeacher}
            aria-label={t('teacher')}
            options={staff.data?.staff.map((s) => ({ value: s.id, label: s.eligible ? s.name : `${s.name}${t('barred')}` }))}
          />
          <span>{t('venue')}</span>
          <Select
            style={{ width: 220 }}
            value={venue}
            onChange={setVenue}
            aria-label={t('venue')}
            options={venues.data?.map((v) => ({ value: v.id, label: `${v.name}（${t('seats', { n: v.capacity })}）` }))}
          />
          <Button type="primary" loading={save.isPending} onClick={() => save.mutate()}>
            {t('save')}
          </Button>
        </Space>
        <Divider style={{ margin: '8px 0' }} />
        <Typography.Text type="secondary">{t('pupils')}</Typography.Text>
        <List
          size="small"
          style={{ maxHeight: 360, overflow: 'auto' }}
          dataSource={group?.pupils ?? []}
          renderItem={(p) => (
            <List.Item
              extra={
                <Select
                  size="small"
                  style={{ width: 220 }}
                  placeholder={t('moveTo')}
                  value={null}
                  disabled={!targets.length || move.isPending}
                  onChange={(id) => {
                    const to = targets.find((x) => x.id === id);
                    if (to) move.mutate({ studentId: p.id, to, pupil: p.name });
                  }}
                  options={targets.map((x) => ({ value: x.id, label: `${name(x)}（${x.pupils.length}）` }))}
                />
              }
            >
              {p.name}（{p.className}）
            </List.Item>
          )}
        />
      </Space>
    </Modal>
  );
}
