/**
 * The two agreements a guardian signs before anything is enrolled (R1, seed 一/二/五): the service
 * agreement (time, form, management rules, rights and obligations) and the safety agreement
 * (safety duties of the school and of the family, pick-up). Versioned per school; a signature keeps
 * the SHA-256 of exactly the text that was shown.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { AgreementKind } from '../../../shared/enrollment';
import type { Db } from '../../db/client';
import { agreementTexts, auditLog } from '../../db/schema';
import { newId } from '../../lib/ids';

export const hashText = (title: string, body: string) => createHash('sha256').update(`${title}\n\n${body}`).digest('hex');

export const DEFAULT_TEXTS: Record<AgreementKind, { title: string; body: string }> = {
  service: {
    title: '课后服务协议',
    body: [
      '为解决家长按时接送学生的困难，学校根据上级教育行政部门的要求开展课后服务。经家长自愿申请，学校与家长（监护人）就学生参加课后服务达成如下协议。',
      '一、服务时间。课后服务在学校正常上课日开展，时间以学校公示的服务方案为准：上午课后延时、午餐午托、下午课后服务、延时托管。下午服务结束时间不晚于 18:00，夏令时、冬令时按公示时间执行；一、二年级错峰提前离校。节假日、寒暑假不提供课后服务。',
      '二、服务形式与内容。家长可按需选择周一至周五中的任意天数和时段（“自助餐式”托管）。服务内容为作业辅导、阅读诵读、体育、艺术、科技、劳动、非遗传承等活动和学生社团；不讲授新课，不组织集体补课、考试测验和竞赛培训。',
      '三、报名与变更。家长在学校公布的报名时间内为孩子提交申请、选择天数和项目；报名期内可自行修改或撤回，报名期结束后如需变更，须向学校课后服务管理办公室申请。特长社团名额有限，按公示的录取方式（先到先得、志愿排序、摇号或审核）确定，未录取的进入候补。',
      '四、管理制度。学生参加课后服务期间遵守学校纪律，服从教师管理；每次服务开始时点名，学生无故缺席的，学校及时通知班主任和家长。学生需请假的，家长应提前通过平台请假。',
      '五、收费。服务收费项目和标准以经有关部门核定并公示的为准，按学期收取，不跨学期预收；家庭经济困难的学生可申请减免。午餐费由家长另行向配餐单位缴纳。',
      '六、双方的权利和义务。学校有权根据学生实际参加情况编班、安排教师和场地，应按公示方案提供服务，如实告知家长服务内容、时间、收费和安全措施，接受家长监督和投诉。家长有权了解孩子参加课后服务的情况、提出意见和投诉，应如实填写申请信息，按时接送孩子，配合学校做好管理工作。',
      '七、本协议自家长签署之日起至本学期结束时有效。参加课后服务完全自愿，家长可按第三条的规定退出。',
    ].join('\n\n'),
  },
  safety: {
    title: '课后服务安全责任协议',
    body: [
      '为保障学生参加课后服务期间的人身安全，明确学校与家长（监护人）的安全责任，签订本协议。',
      '一、学校的安全职责。学校建立课后服务安全管理制度，落实考勤点名、教师交接、值班巡查、门卫登记和应急处置预案；每组学生由教师全程看护，值班领导负责巡查；学生在校期间发生意外伤害或突发疾病的，学校立即施救，并第一时间通知家长，按规定向上级报告。',
      '二、接送。服务结束时，教师只将学生交给家长登记的授权接送人，并核对身份、签字记录时间。家长临时委托他人接送的，应提前在平台登记。家长未能按时接孩子的，学生由教师送至门卫室，交值班人员接力看护，直至家长接走。',
      '三、独自离校。高年级学生需独自离校的，须由家长在申请中书面同意；家长同意后，学生离校后的安全由家长负责。低年级学生不得独自离校。',
      '四、家长的安全职责。家长应如实告知学生的健康状况、过敏史和需要特别照顾的情况，保持联系电话畅通；教育孩子遵守纪律，不携带危险物品，不擅自离开服务场所。',
      '五、学生的个人信息。学校只为开展课后服务收集必要的学生和家长信息，按《儿童个人信息保护告知书》处理，不用于其他目的。',
      '六、本协议自家长签署之日起至本学期结束时有效。未尽事宜，双方本着保护学生安全的原则协商解决。',
    ].join('\n\n'),
  },
};

/** The current (highest) version of each agreement for the school; version 1 is created when none exists. */
export async function currentTexts(db: Db, schoolId: string) {
  const rows = await db.execute(sql`
    SELECT DISTINCT ON (kind) id, kind, version, title, body, sha256, created_at
      FROM agreement_texts WHERE school_id = ${schoolId} ORDER BY kind, version DESC`);
  let texts = (rows as unknown as { rows: TextRow[] }).rows;
  if (texts.length < 2) {
    await ensureDefaultTexts(db, schoolId);
    texts = (
      (await db.execute(sql`
      SELECT DISTINCT ON (kind) id, kind, version, title, body, sha256, created_at
        FROM agreement_texts WHERE school_id = ${schoolId} ORDER BY kind, version DESC`)) as unknown as { rows: TextRow[] }
    ).rows;
  }
  return texts.sort((a, b) => (a.kind === 'service' ? -1 : b.kind === 'service' ? 1 : 0));
}

export interface TextRow {
  id: string;
  kind: AgreementKind;
  version: number;
  title: string;
  body: string;
  sha256: string;
  created_at: Date | string;
}

/** Version 1 of each agreement from the defaults above, where the school has none (audited as the system). */
export async function ensureDefaultTexts(db: Db, schoolId: string, idOf: (kind: AgreementKind) => string = () => newId()) {
  await db.transaction(async (tx) => {
    for (const kind of ['service', 'safety'] as const) {
      const t = DEFAULT_TEXTS[kind];
      const rows = await tx
        .insert(agreementTexts)
        .values({ schoolId, id: idOf(kind), kind, version: 1, title: t.title, body: t.body, sha256: hashText(t.title, t.body) })
        .onConflictDoNothing()
        .returning({ id: agreementTexts.id });
      if (rows[0]) {
        await tx.insert(auditLog).values({
          schoolId,
          id: idOf(kind),
          actorName: '系统',
          role: 'system',
          action: 'agreement.version',
          entity: 'agreement',
          entityId: rows[0].id,
          detail: { kind, version: 1, default: true },
        });
      }
    }
  });
}

/** A new version of one agreement (the office edits the text; earlier signatures keep their hash). */
export async function addVersion(db: Db, schoolId: string, kind: AgreementKind, title: string, body: string) {
  const [last] = await db
    .select({ version: agreementTexts.version })
    .from(agreementTexts)
    .where(and(eq(agreementTexts.schoolId, schoolId), eq(agreementTexts.kind, kind)))
    .orderBy(desc(agreementTexts.version))
    .limit(1);
  const [row] = await db
    .insert(agreementTexts)
    .values({ schoolId, id: newId(), kind, version: (last?.version ?? 0) + 1, title, body, sha256: hashText(title, body) })
    .returning();
  return row;
}
