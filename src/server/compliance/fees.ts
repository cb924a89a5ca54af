/**
 * Fee rules: a fee only with its legal basis and the complaint phone published (N13, 篇五), within
 * the local caps (L2, settings), and third-party providers only from the district's list (N17).
 */
import { FEE_MODE_LABELS } from '../../shared/plans';
import type { SnapshotOffering } from '../../shared/plan-inputs';
import { FEE_MODE_EN, q } from './en';
import { offeringPath, type PlanCheckInput, rule, sortedOfferings } from './types';

const paid = (input: PlanCheckInput) => sortedOfferings(input).filter((o) => o.feeMode !== 'free' && o.feeFen > 0);
const yuan = (fen: number) => `${(fen / 100).toFixed(2)} 元`;
const yuanEn = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

export const feeBasis = rule(
  {
    id: 'R9-basis',
    source: '篇五：将课后服务收费标准、收费依据及投诉举报电话在醒目位置公示；未经公示的不得收取；POLICY N13',
    severity: 'block',
    title: '收费须写明收费依据',
    titleEn: 'A fee states its legal basis',
    sourceEn:
      'Part 5: fee standards, their basis and the complaint phone are published prominently; no unpublished fee may be charged; POLICY N13',
  },
  (input, emit) => {
    const p = paid(input);
    if (p.length > 0 && !input.plan.feeBasis.trim())
      emit(
        {
          zh: `有 ${p.length} 个收费项目，但没有写明收费依据（文件名称、文号）`,
          en: `${p.length} offering(s) charge a fee, but the fee basis (document title and number) is not stated`,
        },
        'plan.feeBasis',
      );
  },
);

export const feePhone = rule(
  {
    id: 'R9-phone',
    source: '篇五：收费标准、收费依据及投诉举报电话一并公示；POLICY N13',
    severity: 'block',
    title: '收费须公示投诉举报电话',
    titleEn: 'A fee comes with a published complaint phone',
    sourceEn: 'Part 5: the fee standard, its basis and the complaint phone are published together; POLICY N13',
  },
  (input, emit) => {
    if (paid(input).length > 0 && !input.plan.complaintPhone.trim())
      emit(
        { zh: '有收费项目，但没有公示投诉举报电话', en: 'Some offerings charge a fee, but no complaint phone is published' },
        'plan.complaintPhone',
      );
  },
);

const CAP_KEY = { per_session: 'maxFeePerSessionFen', per_month: 'maxFeePerMonthFen', per_term: 'maxFeePerTermFen' } as const;

export const feeCaps = rule(
  {
    id: 'L2',
    source: 'POLICY L2：收费上限由当地核定（例：每生每次 3–3.5 元、每月 130–140 元、每学期 360 元；设置项 maxFeePer…Fen）',
    severity: 'block',
    title: '收费不超过本地核定标准',
    titleEn: 'Fees within the local cap',
    sourceEn: 'POLICY L2: fee caps are set locally (e.g. ¥3–3.5 per session, ¥130–140 a month, ¥360 a term; settings maxFeePer…Fen)',
  },
  (input, emit) => {
    for (const o of paid(input)) {
      const mode = o.feeMode as Exclude<SnapshotOffering['feeMode'], 'free'>;
      const cap = input.plan.settings[CAP_KEY[mode]];
      const what = `「${o.name}」${FEE_MODE_LABELS[mode]}收费 ${yuan(o.feeFen)}`;
      const whatEn = `${q(o.name)} charges ${yuanEn(o.feeFen)} ${FEE_MODE_EN[mode]}`;
      if (cap === 0)
        emit(
          {
            zh: `${what}：没有设置本地${FEE_MODE_LABELS[mode]}收费上限，请确认收费标准已经有关部门核定`,
            en: `${whatEn}: no local cap ${FEE_MODE_EN[mode]} is set; make sure the fee has been approved by the authorities`,
          },
          offeringPath(o.id, 'feeFen'),
          'warn',
        );
      else if (o.feeFen > cap)
        emit(
          { zh: `${what}，超过本地核定上限 ${yuan(cap)}`, en: `${whatEn}, above the local cap of ${yuanEn(cap)}` },
          offeringPath(o.id, 'feeFen'),
        );
    }
  },
);

export const approvedProviders = rule(
  {
    id: 'N17',
    source: 'POLICY N17 / 篇五：第三方机构由区教育局组织遴选，学校从名单中选用；代收费只限经批准的机构',
    severity: 'warn',
    title: '第三方机构须在区遴选名单内',
    titleEn: "Providers from the district's approved list",
    sourceEn:
      "POLICY N17 / Part 5: the district selects third-party providers and schools choose from its list; fees collected on a provider's behalf only for approved ones",
  },
  (input, emit) => {
    for (const o of sortedOfferings(input)) {
      if (!o.providerName.trim()) continue;
      const fee = o.feeMode !== 'free' ? '，其收费按代收费公示' : '';
      const feeEn = o.feeMode !== 'free' ? ', and publish its fee as collected on its behalf' : '';
      emit(
        {
          zh: `「${o.name}」由第三方机构“${o.providerName}”提供：请确认其在区教育局遴选名单内${fee}`,
          en: `${q(o.name)} is provided by ${q(o.providerName)}: make sure it is on the district's approved list${feeEn}`,
        },
        offeringPath(o.id, 'providerName'),
      );
    }
  },
);

export const FEE_RULES = [feeBasis, feePhone, feeCaps, approvedProviders];
