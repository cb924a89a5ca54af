/** What the survey API answers with (see src/server/modules/survey). */
import type { Demand } from '../../../shared/demand';
import type { Slot } from '../../../shared/plans';
import type { SurveyDays, SurveyStatus } from '../../../shared/survey';

export interface Survey {
  id: string;
  termId: string;
  termName: string;
  title: string;
  intro: string;
  status: SurveyStatus;
  accepting: boolean;
  closesAt: string | null;
  createdAt: string;
}

export interface SurveyListItem extends Survey {
  answered: number;
  pupils: number;
}

export interface SurveyList {
  items: SurveyListItem[];
  terms: { id: string; name: string }[];
}

export interface Answer {
  days: SurveyDays;
  interests: string[];
  pickupTime: string | null;
  lunch: boolean;
  note: string;
  answeredAt: string;
}

export interface FamilySurveyItem extends Survey {
  children: { id: string; name: string; grade: number; className: string; answeredAt: string | null }[];
}

export interface FamilySurvey extends Survey {
  children: { id: string; name: string; grade: number; className: string; answer: Answer | null }[];
}

export interface PupilAnswer {
  studentId: string;
  name: string;
  studentNo: string;
  grade: number;
  classId: string;
  className: string;
  answer: (Answer & { answeredBy: string }) | null;
  guardian?: { name: string; relation: string; phone: string } | null;
}

export interface Answers {
  survey: Survey;
  pupils: number;
  answered: PupilAnswer[];
  missing: PupilAnswer[];
}

export interface ClassRate {
  classId: string;
  className: string;
  grade: number;
  pupils: number;
  answered: number;
  rate: number;
}

export interface DemandView {
  survey: Survey;
  demand: Demand;
  classes: ClassRate[];
  pupils: number;
  answered: number;
}

export type { Slot, SurveyDays };
