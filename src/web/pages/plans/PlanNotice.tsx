/**
 * The published plan as a notice (公示): times per slot, season and grade band, the offerings with
 * weekdays, grades, venue, teacher or provider, seats and fee, the fee standard and its basis, the
 * safety measures and where to complain. Laid out for A4 (see notice.css); also the district's
 * view of a submitted snapshot. An official document: always in Chinese.
 */
import type { CSSProperties } from 'react';
import { GRADE_BAND_LABELS, SEASON_LABELS, SEASONS, SLOT_LABELS, SLOTS } from '../../../shared/plans';
import { ALLOCATION_LABELS, CATEGORY_LABELS, FEE_MODE_LABELS, OFFERING_KIND_LABELS } from '../../../shared/plans';
import { formatDate, formatDateTime, formatMoney } from '../../i18n';
import { gradeText, weekdayText } from './labels';
import type { DaySummary, PlanSnapshot, TermDay } from './types';

export interface NoticeProps {
  snapshot: PlanSnapshot;
  version: number;
  publishedAt?: string | null;
  filedAt?: string | null;
  calendar?: { exceptions: TermDay[]; summary: DaySummary };
  style?: CSSProperties;
}

const fee = (o: PlanSnapshot['offerings'][number]) =>
  o.feeMode === 'free' ? '免费' : `${formatMoney(o.feeFen)}／${FEE_MODE_LABELS[o.feeMode].replace(/^按/, '')}`;

const WEEKDAY_CN = ['', '周一', '周二', '周三', '周四', '周五'];

/** Holidays grouped by their note as date ranges, then the make-up days: 国庆节：10月1日至10月7日放假；… */
export function calendarText(days: TermDay[]): string {
  const parts: string[] = [];
  const holidays = days.filter((d) => d.kind === 'holiday').sort((a, b) => (a.day < b.day ? -1 : 1));
  const byNote = new Map<string, string[]>();
  for (const d of holidays) byNote.set(d.note, [...(byNote.get(d.note) ?? []), d.day]);
  for (const [note, ds] of byNote) {
    const range = ds.length === 1 ? formatDate(ds[0]) : `${formatDate(ds[0])}至${formatDate(ds[ds.length - 1])}`;
    parts.push(`${note ? `${note}：` : ''}${range}放假`);
  }
  for (const d of days.filter((x) => x.kind === 'makeup'))
    parts.push(`${formatDate(d.day)}调休上课（按${WEEKDAY_CN[d.asWeekday ?? 1]}课表）`);
  return parts.join('；');
}

export function PlanNotice({ snapshot: s, version, publishedAt, filedAt, calendar, style }: NoticeProps) {
  const slots = SLOTS.filter((slot) => s.slots.some((x) => x.slot === slot));
  const seasons = SEASONS.filter((season) => s.slots.some((x) => x.season === season));
  const timesOf = (slot: string, season: string) =>
    s.slots
      .filter((x) => x.slot === slot && x.season === season)
      .sort((a, b) => (a.gradeBand === 'low' ? -1 : b.gradeBand === 'low' ? 1 : 0))
      .map((x) => `${x.gradeBand === 'all' ? '' : `${GRADE_BAND_LABELS[x.gradeBand]} `}${x.startTime}–${x.endTime}`);
  const offerings = [...s.offerings].sort(
    (a, b) => Number(a.kind === 'club') - Number(b.kind === 'club') || SLOTS.indexOf(a.slot) - SLOTS.indexOf(b.slot),
  );
  const paid = offerings.filter((o) => o.feeMode !== 'free');
  const seasonSwitch = [
    s.term.summerFrom && `${formatDate(s.term.summerFrom)} 起执行夏令时`,
    s.term.winterFrom && `${formatDate(s.term.winterFrom)} 起执行冬令时`,
  ]
    .filter(Boolean)
    .join('；');
  const holidays = calendar?.exceptions ?? [];

  return (
    <article className="plan-notice" style={style}>
      <header>
        <h1>
          {s.school.name}
          <br />
          {s.term.name}课后服务方案公示
        </h1>
        <p className="meta">
          {filedAt ? `已经区教育局审核备案（${formatDate(filedAt)}）` : '报区教育局审核备案中'} · 第 {version} 版
          {publishedAt ? ` · 公示日期 ${formatDate(publishedAt)}` : ''}
        </p>
        <p>
          为解决学生放学后无人看管的实际困难，学校坚持学生和家长自愿、公益普惠、安全第一的原则开展课后服务。家长可根据需要为孩子自由选择周一至周五任意一天、多天或全周参加。
          未参加课后服务的学生按原放学时间放学。
        </p>
      </header>

      <section>
        <h2>一、服务时间</h2>
        <p>
          服务期间：{formatDate(s.term.startsOn)} 至 {formatDate(s.term.endsOn)}，每周一至周五上学日
          {seasonSwitch ? `；${seasonSwitch}` : ''}。{calendar ? `本学期共 ${calendar.summary.total} 个服务日。` : ''}
        </p>
        <table>
          <thead>
            <tr>
              <th>时段</th>
              {seasons.map((season) => (
                <th key={season}>{SEASON_LABELS[season]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {slots.map((slot) => (
              <tr key={slot}>
                <th scope="row">{SLOT_LABELS[slot]}</th>
                {seasons.map((season) => (
                  <td key={season}>
                    {timesOf(slot, season).map((line) => (
                      <div key={line}>{line}</div>
                    ))}
                    {timesOf(slot, season).length === 0 && '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {holidays.length > 0 && <p className="small">放假与调休：{calendarText(holidays)}。</p>}
      </section>

      <section>
        <h2>二、服务项目</h2>
        <table>
          <thead>
            <tr>
              <th>项目与内容</th>
              <th>年级</th>
              <th>时段与星期</th>
              <th>场地</th>
              <th>教师／机构</th>
              <th className="num">名额</th>
              <th>收费</th>
              <th>录取方式</th>
            </tr>
          </thead>
          <tbody>
            {offerings.map((o) => (
              <tr key={o.id}>
                <td>
                  <strong>{o.name}</strong>
                  <span className="small">
                    {' '}
                    {OFFERING_KIND_LABELS[o.kind]} · {CATEGORY_LABELS[o.category]}
                  </span>
                  {o.description && <div className="small">{o.description}</div>}
                </td>
                <td className="nowrap">{gradeText(o.gradeMin, o.gradeMax)}</td>
                <td className="nowrap">
                  {SLOT_LABELS[o.slot]}
                  <div className="small">{weekdayText(o.weekdays)}</div>
                </td>
                <td>{o.venueName ?? '—'}</td>
                <td>{[o.teacherName, o.providerName].filter(Boolean).join('／') || '—'}</td>
                <td className="num">{o.capacity}</td>
                <td>{fee(o)}</td>
                <td>
                  {ALLOCATION_LABELS[o.allocation]}
                  {o.allocation === 'fcfs' && o.opensAt && <div className="small">{formatDateTime(o.opensAt)} 开放</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="small">
          名额为每个服务日的名额；普通托管按实际人数编班，每班不超过 {s.plan.settings.maxGroupSize} 人，每班配 1 名教师。
        </p>
      </section>

      <section>
        <h2>三、收费标准与依据</h2>
        {paid.length === 0 ? (
          <p>本学期课后服务项目均不收费。</p>
        ) : (
          <>
            <ul>
              {paid.map((o) => (
                <li key={o.id}>
                  {o.name}：{fee(o)}
                </li>
              ))}
            </ul>
            <p>收费依据：{s.plan.feeBasis || '—'}</p>
            <p className="small">
              课后服务费按公示标准收取，不跨学期预收；家庭经济困难学生可申请减免；费用专款专用，学期末向家长公示收支情况。学生午餐费用由家长与配餐公司另行结算。
            </p>
          </>
        )}
      </section>

      <section>
        <h2>四、安全措施</h2>
        <p className="pre">{s.plan.safetyMeasures || '—'}</p>
      </section>

      <section>
        <h2>五、报名与监督</h2>
        {s.term.applyOpensAt && s.term.applyClosesAt && (
          <p>
            报名时间：{formatDateTime(s.term.applyOpensAt)} 至 {formatDateTime(s.term.applyClosesAt)}
            ，家长在“课后”平台为孩子自愿报名，签订服务协议和安全协议后生效。
          </p>
        )}
        <p>
          投诉举报电话：<strong>{s.plan.complaintPhone || '—'}</strong>
          {s.plan.complaintChannel ? `；${s.plan.complaintChannel}` : ''}
        </p>
      </section>

      <footer>
        {s.school.name}
        {s.school.address ? ` · ${s.school.address}` : ''}
        {s.school.phone ? ` · 电话 ${s.school.phone}` : ''}
      </footer>
    </article>
  );
}
