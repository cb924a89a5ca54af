/**
 * Content rules: no new lessons, subject teaching, exam drills or competition training, no
 * commercial activity ("十严禁"); noon care is not 课后服务; no written homework for grades 1–2.
 * Keyword checks on each offering's name and description.
 */
import { q } from './en';
import { type Msg, offeringPath, rule, sortedOfferings } from './types';

/** R3 / N10: words that name forbidden content. Blocks submission. */
export const FORBIDDEN_WORDS = [
  '补课',
  '新课',
  '奥数',
  '竞赛',
  '刷题',
  '考试',
  '应试',
  '培优',
  '提分',
  '集体教学',
  '学科培训',
  '押题',
  '冲刺班',
];
/** R3 (十严禁：严禁“搭车”开展商业活动；严禁恶意在校招揽生源). Blocks submission. */
export const COMMERCIAL_WORDS = ['推销', '销售', '招生', '广告', '代售'];
/** Subject names: allowed in homework help or extension, so only a warning to look again. */
export const SUBJECT_WORDS = ['语文', '数学', '英语', '物理', '化学'];

const hits = (text: string, words: readonly string[]) => words.filter((w) => text.includes(w));

function keywordRule(spec: Parameters<typeof rule>[0], words: readonly string[], what: Msg) {
  return rule(spec, (input, emit) => {
    for (const o of sortedOfferings(input)) {
      for (const field of ['name', 'description'] as const) {
        const found = hits(o[field], words);
        if (found.length > 0)
          emit(
            {
              zh: `「${o.name}」${field === 'name' ? '名称' : '内容介绍'}含“${found.join('”“')}”：${what.zh}`,
              en: `The ${field === 'name' ? 'name' : 'description'} of ${q(o.name)} contains ${found.map(q).join(', ')}: ${what.en}`,
            },
            offeringPath(o.id, field),
          );
      }
    }
  });
}

export const noSubjectTeaching = keywordRule(
  {
    id: 'R3',
    source: '篇五“十严禁”：严禁把课后服务演变为学科类集体教学、集体补课或奥数等竞赛培训；不得上新课、补课和考试训练；POLICY N10',
    severity: 'block',
    title: '不上新课、不补课、不搞考试和竞赛训练',
    titleEn: 'No new lessons, remedial classes, exam drills or competition training',
    sourceEn:
      'Part 5 “ten prohibitions”: after-school service must not become subject teaching, group remedial classes or olympiad training; POLICY N10',
  },
  FORBIDDEN_WORDS,
  {
    zh: '课后服务不得上新课、集体补课、考试训练或竞赛培训',
    en: 'after-school service may not teach new lessons, hold remedial classes, exam drills or competition training',
  },
);

export const noCommerce = keywordRule(
  {
    id: 'R3-commercial',
    source: '篇五“十严禁”：严禁在课后服务时段“搭车”开展商业活动；严禁将学校资源提供给社会培训机构作为经营场所',
    severity: 'block',
    title: '不搭车开展商业活动',
    titleEn: 'No commercial activity',
    sourceEn:
      'Part 5 “ten prohibitions”: no commercial activity during the service; school premises are not a venue for training businesses',
  },
  COMMERCIAL_WORDS,
  { zh: '课后服务时段不得开展商业活动或招揽生源', en: 'no selling or recruiting customers during after-school service' },
);

export const subjectNames = keywordRule(
  {
    id: 'R3-subject',
    source: 'POLICY N10：可以指导作业、辅导学习有困难的学生、为学有余力的学生拓展，但不得开展学科教学',
    severity: 'warn',
    title: '学科名称提示',
    titleEn: 'Subject names: check the content',
    sourceEn: 'POLICY N10: homework help, support for pupils who struggle and extension are allowed; subject teaching is not',
  },
  SUBJECT_WORDS,
  { zh: '请确认是作业辅导或拓展活动，而不是学科教学', en: 'make sure this is homework help or extension, not subject teaching' },
);

export const noonNotBilled = rule(
  {
    id: 'N9',
    source: 'POLICY N9：午餐、午休看护不属于课后服务，不得按课后服务收费；篇二：午餐费用由家长与配餐公司另行结算',
    severity: 'warn',
    title: '午间看护不按课后服务收费',
    titleEn: 'Noon care is not charged as after-school service',
    sourceEn:
      'POLICY N9: lunch and noon rest care are not after-school service and are not charged as such; Part 2: lunch is paid to the caterer separately',
  },
  (input, emit) => {
    for (const o of sortedOfferings(input)) {
      if (o.slot === 'noon' && o.feeMode !== 'free') {
        emit(
          {
            zh: `「${o.name}」在午餐午托时段收费：午间看护不属于课后服务，不能按课后服务收费（午餐费另行结算）`,
            en: `${q(o.name)} charges a fee at noon: noon care is not after-school service and cannot be charged as such (lunch is paid separately)`,
          },
          offeringPath(o.id, 'feeMode'),
        );
      }
    }
  },
);

export const noWrittenHomeworkLow = rule(
  {
    id: 'N11',
    source: 'POLICY N11：一二年级不布置书面家庭作业',
    severity: 'warn',
    title: '一二年级不以书面作业为主',
    titleEn: 'No written homework focus for grades 1–2',
    sourceEn: 'POLICY N11: no written homework is set for grades 1 and 2',
  },
  (input, emit) => {
    for (const o of sortedOfferings(input)) {
      if (o.category === 'homework' && o.gradeMin <= 2) {
        emit(
          {
            zh: `「${o.name}」面向一、二年级的作业辅导：一二年级没有书面作业，宜安排阅读、游戏或活动`,
            en: `${q(o.name)} is homework help for grades 1–2, who have no written homework: reading, games or activities suit them better`,
          },
          offeringPath(o.id, 'category'),
        );
      }
    }
  },
);

export const CONTENT_RULES = [noSubjectTeaching, noCommerce, subjectNames, noonNotBilled, noWrittenHomeworkLow];
