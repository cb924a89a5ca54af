/** What the survey routes answer with: fields picked one by one, so a new column never leaks. */
import type { PupilAnswer, SurveyRow } from './service';
import { accepting } from './service';

export const presentSurvey = (s: SurveyRow & { termName?: string }, now = new Date()) => ({
  id: s.id,
  termId: s.termId,
  termName: s.termName ?? '',
  title: s.title,
  intro: s.intro,
  status: s.status,
  /** open and before its closing time: guardians can answer (or change their answer) */
  accepting: accepting(s, now),
  closesAt: s.closesAt,
  createdAt: s.createdAt,
});

export const presentAnswer = (a: NonNullable<PupilAnswer['answer']>) => ({
  days: a.days,
  interests: a.interests,
  pickupTime: a.pickupTime,
  lunch: a.lunch,
  note: a.note,
  answeredAt: a.answeredAt,
});

export const presentPupilAnswer = (p: PupilAnswer) => ({
  studentId: p.studentId,
  name: p.name,
  studentNo: p.studentNo,
  grade: p.grade,
  classId: p.classId,
  className: p.className,
  answer: p.answer ? { ...presentAnswer(p.answer), answeredBy: p.answer.answeredBy } : null,
});
