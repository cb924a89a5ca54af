/**
 * R12: the plan is reviewed and filed by the district before it is published (篇二, 篇五 报教育主管部门
 * 审核备案). A pure check of the version about to be published.
 */
import type { Finding } from './types';

export const R12 = {
  id: 'R12',
  source: '篇二：学校将审核通过的课后服务方案向家长公示；篇五：制定课后服务工作方案，并报教育主管部门审核备案',
  severity: 'block' as const,
  title: '经区教育局备案后方可公示',
  titleEn: 'Published only once filed by the district',
  sourceEn:
    'Part 2: the school publishes the approved plan to guardians; Part 5: the plan is reviewed and filed by the education authority',
};

/** Findings that stop publication of the plan's current version (empty: it may be published). */
export function publicationFindings(version: { version: number; status: string } | undefined, workingVersion: number): Finding[] {
  const f = (message: string, messageEn: string): Finding[] => [
    { id: R12.id, source: R12.source, sourceEn: R12.sourceEn, severity: 'block', message, messageEn, path: 'plan.status' },
  ];
  const n = workingVersion;
  if (!version || version.version !== n)
    return f(`第 ${n} 版尚未提交区教育局备案，不能公示`, `Version ${n} has not been submitted to the district: it cannot be published`);
  if (version.status === 'published') return f(`第 ${n} 版已经公示`, `Version ${n} is already published`);
  if (version.status !== 'filed') {
    const returned = version.status === 'returned';
    return f(
      `第 ${n} 版尚未经区教育局备案（当前：${returned ? '已退回修改' : '审核中'}），不能公示`,
      `Version ${n} has not been filed by the district (now: ${returned ? 'returned for changes' : 'under review'}): it cannot be published`,
    );
  }
  return [];
}
