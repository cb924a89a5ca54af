/**
 * The compliance rules' common shape. Every rule is a pure function of the plan as it would be
 * published (the snapshot) plus what the rules need to look up (venues, staff, the calendar,
 * today's date), with an id and the text it comes from (DOMAIN.md R…, POLICY.md N… and L…).
 */
import type { CalendarException } from '../../shared/calendar';
import type { Finding, PlanSnapshot, Severity } from '../../shared/plan-inputs';

export type { Finding, Severity };

export interface PlanCheckInput {
  /** YYYY-MM-DD in Asia/Shanghai: vetting checks older than a year before it have expired */
  today: string;
  term: PlanSnapshot['term'];
  exceptions: CalendarException[];
  plan: Omit<PlanSnapshot['plan'], 'id' | 'version'>;
  slots: PlanSnapshot['slots'];
  offerings: PlanSnapshot['offerings'];
  venues: { id: string; name: string; capacity: number; active: boolean }[];
  staff: { id: string; name: string; vettingStatus: string; vettingCheckedOn: string | null; active: boolean }[];
}

export interface Rule {
  id: string;
  source: string;
  /** the usual severity (a rule may answer with another one, e.g. L2 warns when no cap is set) */
  severity: Severity;
  /** what the rule checks, in a few Chinese words, for the rule catalogue */
  title: string;
  /** the same in English */
  titleEn: string;
  /** the source in English (a summary of the cited text; the Chinese text is the authority) */
  sourceEn: string;
  check(input: PlanCheckInput): Finding[];
}

/** A finding's message in both languages the app speaks. */
export interface Msg {
  zh: string;
  en: string;
}

export type RuleSpec = Omit<Rule, 'check'>;

/** Builds a rule whose findings carry its id and source. */
export function rule(
  spec: RuleSpec,
  check: (input: PlanCheckInput, emit: (message: Msg, path: string, severity?: Severity) => void) => void,
): Rule {
  return {
    ...spec,
    check(input) {
      const out: Finding[] = [];
      check(input, (message, path, severity = spec.severity) =>
        out.push({ id: spec.id, source: spec.source, sourceEn: spec.sourceEn, severity, message: message.zh, messageEn: message.en, path }),
      );
      return out;
    },
  };
}

/** Offerings in a stable order (so findings are deterministic whatever order the rows came in). */
export const sortedOfferings = (input: PlanCheckInput) => [...input.offerings].sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id));

/** Code-point order: the same on every machine, whatever its locale data. */
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const offeringPath = (id: string, field: string) => `offerings.${id}.${field}`;
