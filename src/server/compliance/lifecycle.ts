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
};

/** Findings that stop publication of the plan's current version (empty: it may be published). */
export function publicationFindings(version: { version: number; status: string } | undefined, workingVersion: number): Finding[] {
  const f = (message: string): Finding[] => [{ id: R12.id, source: R12.source, severity: 'block', message, path: 'plan.status' }];
  if (!version || version.version !== workingVersion) return f(`第 ${workingVersion} 版尚未提交区教育局备案，不能公示`);
  if (version.status === 'published') return f(`第 ${workingVersion} 版已经公示`);
  if (version.status !== 'filed')
    return f(`第 ${workingVersion} 版尚未经区教育局备案（当前：${version.status === 'returned' ? '已退回修改' : '审核中'}），不能公示`);
  return [];
}
