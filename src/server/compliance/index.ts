/**
 * The plan's compliance check: every rule, its findings in a stable order (blocking first, then by
 * rule id and path). `blocking(findings)` is what stops a submission.
 */
import { CAPACITY_RULES } from './capacity';
import { CONTENT_RULES } from './content';
import { DISCLOSURE_RULES } from './disclosure';
import { FEE_RULES } from './fees';
import { R12 } from './lifecycle';
import { STAFF_RULES } from './staff';
import { TIME_RULES } from './time';
import { cmp, type Finding, type PlanCheckInput, type Rule, type RuleSpec } from './types';

export type { Finding, PlanCheckInput, Rule };
export { publicationFindings } from './lifecycle';

export const PLAN_RULES: Rule[] = [...TIME_RULES, ...CONTENT_RULES, ...FEE_RULES, ...CAPACITY_RULES, ...STAFF_RULES, ...DISCLOSURE_RULES];

/** Every rule with its id, source, usual severity and title (the catalogue the office can read). */
export const RULE_CATALOGUE: RuleSpec[] = [
  ...PLAN_RULES.map(({ id, source, severity, title, titleEn, sourceEn }) => ({ id, source, severity, title, titleEn, sourceEn })),
  R12,
];

const SEVERITY_ORDER = { block: 0, warn: 1 } as const;

export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || cmp(a.id, b.id) || cmp(a.path, b.path) || cmp(a.message, b.message);
}

export function checkPlan(input: PlanCheckInput): Finding[] {
  return PLAN_RULES.flatMap((r) => r.check(input)).sort(compareFindings);
}

export const blocking = (findings: readonly Finding[]) => findings.filter((f) => f.severity === 'block');
