/**
 * A teacher who leads today's duty through the rota (a swapped or timetabled duty day, without the
 * standing duty role) is told so on the phone's home and 今日 pages, with the way to the duty console.
 * Only on that day: /api/auth/me says `dutyToday` for today's date alone.
 */
import { NoticeBar } from 'antd-mobile';
import { Link } from 'react-router-dom';
import { accessOf } from '../../access';
import { useMe } from '../../auth';
import { type Dict, useT } from '../../i18n';

const dict: Dict = {
  zh: { text: '今天（{day}）您是值班领导：站队清点、巡视、接力托管和结束今日都在值班台。', open: '打开值班台' },
  en: {
    text: 'You are the duty leader today ({day}): headcount, patrols, relay care and closing the day are on the duty console.',
    open: 'Open',
  },
};

export function DutyTodayNotice() {
  const t = useT(dict);
  const me = useMe().data;
  const access = accessOf(me);
  if (!access.dutyToday || !access.duty) return null;
  return (
    <NoticeBar
      color="info"
      wrap
      content={t('text', { day: me?.dutyToday ?? '' })}
      extra={
        <Link to="/m/duty" style={{ whiteSpace: 'nowrap' }}>
          {t('open')}
        </Link>
      }
    />
  );
}
