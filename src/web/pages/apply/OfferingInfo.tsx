/** One offering's facts on a card: days with seats left, venue, teacher, fee. */
import { Space, Tag } from 'antd-mobile';
import { useT } from '../../i18n';
import { dict } from './dict';
import { feeLabel, weekdayLabel } from './format';
import type { Offering } from './types';

export function OfferingInfo({ o }: { o: Offering }) {
  const t = useT(dict);
  return (
    <div style={{ fontSize: 13, color: '#555', lineHeight: 1.8 }}>
      {o.description && <div style={{ color: '#333' }}>{o.description}</div>}
      <Space wrap style={{ '--gap': '6px' }}>
        {o.seats.map((s) => (
          <Tag key={s.weekday} color={s.left > 0 ? 'success' : 'warning'} fill="outline" style={{ fontSize: 12 }}>
            {weekdayLabel(s.weekday)} {s.left > 0 ? t('seatsLeft', { n: s.left }) : t('full')}
            {s.waitlisted > 0 ? ` · ${t('waiting', { n: s.waitlisted })}` : ''}
          </Tag>
        ))}
      </Space>
      <div>
        {o.venueName && `${t('venue')}：${o.venueName}　`}
        {(o.teacherName || o.providerName) && `${t('teacher')}：${o.teacherName ?? o.providerName}　`}
        {feeLabel(o)}
      </div>
    </div>
  );
}
