/** Teachers and duty leaders on a phone: the pupils their role lets them see, and who may collect each. */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Avatar, ErrorBlock, InfiniteScroll, List, NavBar, Popup, SearchBar, Skeleton, Tag } from 'antd-mobile';
import { useState } from 'react';
import { get, type Page, qs } from '../../api';
import { useMe } from '../../auth';
import { type Dict, useT } from '../../i18n';
import { GRADE_LABELS } from '../../../shared/roster';
import { DutyTodayNotice } from './DutyTodayNotice';

interface Row {
  id: string;
  studentNo: string;
  name: string;
  gender: string;
  grade: number;
  className: string;
  campusName: string;
}
interface FileView extends Row {
  address: string | null;
  guardians: { id: string; name: string; phone: string; relation: string }[];
  pickups: { id: string; name: string; relation: string; phone: string; photo: string | null }[];
}

const dict: Dict = {
  zh: {
    search: '搜索姓名或学号',
    none: '没有可查看的学生。班主任看到本班学生，托管教师看到本校区学生。',
    guardians: '监护人',
    pickups: '授权接送人',
    noPickups: '家长尚未登记接送人',
    count: '共 {n} 名学生',
  },
  en: {
    search: 'Search name or number',
    none: 'No pupils to show. Homeroom teachers see their class; care teachers see their campus.',
    guardians: 'Guardians',
    pickups: 'Authorised pick-up adults',
    noPickups: 'No pick-up adults registered yet',
    count: '{n} pupils',
  },
};

export default function StaffHome() {
  const t = useT(dict);
  const me = useMe().data;
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['m-students', me?.active?.id, q],
    queryFn: ({ pageParam }) => get<Page<Row>>(`/students${qs({ q, page: pageParam, pageSize: 30 })}`),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined),
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div>
      <NavBar backIcon={false}>{me?.active?.name}</NavBar>
      <DutyTodayNotice />
      <div style={{ padding: 12 }}>
        <SearchBar placeholder={t('search')} onSearch={setQ} onClear={() => setQ('')} />
      </div>
      {list.isLoading && <Skeleton.Paragraph lineCount={8} animated style={{ padding: 12 }} />}
      {list.error && <ErrorBlock status="default" description={(list.error as Error).message} />}
      {list.data && rows.length === 0 && <ErrorBlock status="empty" description={t('none')} />}
      {rows.length > 0 && (
        <List header={t('count', { n: list.data?.pages[0].total ?? 0 })}>
          {rows.map((s) => (
            <List.Item
              key={s.id}
              onClick={() => setOpen(s.id)}
              description={`${GRADE_LABELS[s.grade]} ${s.className} · ${s.studentNo}`}
              arrowIcon
            >
              {s.name}
            </List.Item>
          ))}
        </List>
      )}
      <InfiniteScroll loadMore={async () => void (await list.fetchNextPage())} hasMore={!!list.hasNextPage} />
      <Popup
        visible={!!open}
        onMaskClick={() => setOpen(null)}
        bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: '80vh', overflowY: 'auto' }}
      >
        {open && <PupilFile id={open} />}
      </Popup>
    </div>
  );
}

function PupilFile({ id }: { id: string }) {
  const t = useT(dict);
  const file = useQuery({ queryKey: ['student', id], queryFn: () => get<FileView>(`/students/${id}`) });
  if (file.isLoading) return <Skeleton.Paragraph lineCount={6} animated style={{ padding: 16 }} />;
  if (file.error || !file.data) return <ErrorBlock status="default" description={(file.error as Error)?.message} />;
  const f = file.data;
  return (
    <div style={{ paddingBottom: 16 }}>
      <div style={{ padding: 16, fontSize: 18, fontWeight: 600 }}>
        {f.name} <Tag fill="outline">{`${GRADE_LABELS[f.grade]} ${f.className}`}</Tag>
      </div>
      <List header={t('pickups')}>
        {f.pickups.length === 0 && <List.Item>{t('noPickups')}</List.Item>}
        {f.pickups.map((p) => (
          <List.Item
            key={p.id}
            prefix={<Avatar src={p.photo ?? ''} style={{ '--size': '56px' }} />}
            description={<a href={`tel:${p.phone}`}>{p.phone}</a>}
          >
            {p.name} <Tag fill="outline">{p.relation}</Tag>
          </List.Item>
        ))}
      </List>
      {f.guardians.length > 0 && (
        <List header={t('guardians')}>
          {f.guardians.map((g) => (
            <List.Item key={g.id} description={<a href={`tel:${g.phone}`}>{g.phone}</a>}>
              {g.name} <Tag fill="outline">{g.relation}</Tag>
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}
