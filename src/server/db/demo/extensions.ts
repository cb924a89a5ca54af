/**
 * The demo district grows with every feature: each module that has demo data exports a function
 * of this shape and lists it here. They run in order, inside the seed's transaction, after the
 * roster (schools, classes, pupils, guardians, staff) exists.
 */
import { carelogDemo } from '../../modules/carelog/demo';
import { afternoonDemo } from '../../modules/afternoon/demo';
import { billingDemo } from '../../modules/billing/demo';
import { dailyDemo } from '../../modules/daily/demo';
import { enrollmentDemo } from '../../modules/enrollment/demo';
import { lunchDemo } from '../../modules/lunch/demo';
import { subsidiesDemo } from '../../modules/subsidies/demo';
import { plansDemo } from '../../modules/plans/demo';
import { rotaDemo } from '../../modules/rota/demo';
import { surveyDemo } from '../../modules/survey/demo';
import { paymentsDemo } from '../../modules/payments/demo';
import type { Db } from '../client';

export interface DemoContext {
  districtId: string;
  /** [环翠区实验小学, 环翠区第二实验小学] */
  schoolIds: string[];
  /** account ids of the named demo logins */
  accounts: { admin: string; admin2: string; homeroom: string; teacher: string; duty: string; parent: string };
  today: Date;
}

export type DemoExtension = (tx: Db, ctx: DemoContext) => Promise<void>;

export const DEMO_EXTENSIONS: DemoExtension[] = [
  plansDemo,
  // after the plan's demo, which creates the autumn term (the survey looks it up)
  surveyDemo,
  // after the plan's demo: applications and enrolments against its published plan
  enrollmentDemo,
  // after the enrolments: the term's groups and today's afternoon in use (none: nothing)
  dailyDemo,
  // after today's afternoon: leave, a substitute, hand-over notes and headcounts in the demo teacher's group
  afternoonDemo,
  // after today's afternoon: patrols, activity records, a closed incident, the (switched-off) webhook
  carelogDemo,
  // after the groups: a second teacher login, one approved and one pending shift swap
  rotaDemo,
  // after the groups: a caterer, this week's menu, last month's lunch statement, 陪餐, the parent committee
  lunchDemo,
  // after the groups: funding and rates; last month's check-ins and subsidy statements (one approved)
  subsidiesDemo,
  // after enrolments and leave: this term's bills, hardship waivers, an application to decide
  billingDemo,
  // last, after the bills (billing's demo): payments, a refund, a reconciled statement, published term accounts
  paymentsDemo,
];
