/** Dates for thumb-sized day choices: today and the next days in Asia/Shanghai, as YYYY-MM-DD with a short label. */
const fmtDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export const chinaToday = () => fmtDay.format(new Date());

export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const WEEK_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const WEEK_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function dayLabel(day: string, locale: string, today = chinaToday()) {
  const d = new Date(`${day}T00:00:00Z`);
  const en = locale === 'en';
  const rel = day === today ? (en ? 'Today' : '今天') : day === addDays(today, 1) ? (en ? 'Tomorrow' : '明天') : null;
  const base = en
    ? `${d.getUTCMonth() + 1}/${d.getUTCDate()} ${WEEK_EN[d.getUTCDay()]}`
    : `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${WEEK_ZH[d.getUTCDay()]}`;
  return rel ? `${rel} ${base}` : base;
}

/** The next `n` days from today, with labels. */
export const nextDays = (n: number, locale: string) => {
  const today = chinaToday();
  return Array.from({ length: n }, (_, i) => addDays(today, i)).map((d) => ({ value: d, label: dayLabel(d, locale, today) }));
};

export const SLOT_LABELS: Record<string, { zh: string; en: string }> = {
  morning: { zh: '上午延时', en: 'Morning' },
  noon: { zh: '午托', en: 'Noon' },
  afternoon: { zh: '下午课后服务', en: 'Afternoon' },
  late: { zh: '延时托管', en: 'Late care' },
};
