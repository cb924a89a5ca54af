/**
 * The care teacher's release beyond the pick-up list: to the substitute the guardian announced for
 * today, or to the guardian whose pick-up code (QR token or 8 digits) the teacher scanned or typed.
 * Both go through daily/writes.ts `release` (R7) and are replayable like the daily writes
 * (replay.ts: the key's first result, even after the day was closed or once the code has expired;
 * the same key for another request is refused); the teacher's right to the group today is
 * daily/today.ts `groupToday`.
 */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { AppError } from '../../lib/errors';
import { todayOf } from '../daily/days';
import { eventsFor } from '../daily/events';
import { groupToday } from '../daily/today';
import { release } from '../daily/writes';
import { clockOf, codeSecret } from './common';
import { matchShortCode, verifyPickupToken } from './pickup-code';
import { replayableFor } from './replay';

const groupParams = z.object({ groupId: z.uuid() });
const idemHeaders = z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }).loose();

const CODE_ERRORS = {
  malformed: ['PICKUP_CODE_INVALID', '接送码无效，请家长打开“接孩子”重新出示'],
  bad_signature: ['PICKUP_CODE_INVALID', '接送码无效，请家长打开“接孩子”重新出示'],
  expired: ['PICKUP_CODE_EXPIRED', '接送码已过期，请家长刷新后重新出示'],
  other_day: ['PICKUP_CODE_EXPIRED', '这不是今天的接送码，请家长刷新后重新出示'],
  other_school: ['PICKUP_CODE_OTHER_SCHOOL', '这是其他学校的接送码，不能在本校接走学生'],
} as const;

export const releaseRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;
  const now = clockOf(app.deps);
  const replayable = replayableFor(app.deps, eventsFor(app.deps));

  app.get(
    '/afternoon/groups/:groupId/pupils/:studentId/today',
    {
      config: { policy: allow('release.write') },
      schema: {
        tags: ['afternoon'],
        summary: '交接时：家长今天登记的临时接送人与班主任的交接备注',
        params: groupParams.extend({ studentId: z.uuid() }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { g, sd } = await groupToday(db, actor, schoolId, req.params.groupId, false, todayOf(app.deps));
      const [inGroup] = await queryRows(
        db,
        sql`SELECT 1 FROM attendance WHERE school_id = ${schoolId} AND day = ${sd.day}::date AND group_id = ${g.id} AND student_id = ${req.params.studentId}`,
      );
      if (!inGroup) return { substitutes: [], notes: [] };
      const substitutes = await queryRows(
        db,
        sql`SELECT id, name, relation, phone, photo, id_last4 AS "idLast4" FROM pickup_substitutes
             WHERE school_id = ${schoolId} AND student_id = ${req.params.studentId} AND day = ${sd.day}::date AND cancelled_at IS NULL ORDER BY announced_at`,
      );
      const notes = await queryRows(
        db,
        sql`SELECT id, kind, text FROM handover_notes WHERE school_id = ${schoolId} AND day = ${sd.day}::date AND student_id = ${req.params.studentId} ORDER BY written_at`,
      );
      return { substitutes, notes };
    },
  );

  app.post(
    '/afternoon/groups/:groupId/release-substitute',
    {
      config: { policy: allow('release.write') },
      schema: {
        tags: ['afternoon'],
        summary: '交给家长为今天登记的临时接送人',
        params: groupParams,
        headers: idemHeaders,
        body: z.object({ studentId: z.uuid(), substituteId: z.uuid() }).strict(),
      },
    },
    (req) =>
      replayable(
        req,
        async ({ g, sd }, actor, schoolId) =>
          (tx) =>
            release({ tx, actor, schoolId, day: sd.day, groupId: g.id, termId: g.term_id }, req.body.studentId, {
              substituteId: req.body.substituteId,
            }),
        'release',
      ),
  );

  app.post(
    '/afternoon/groups/:groupId/release-code',
    {
      config: { policy: allow('release.write') },
      schema: {
        tags: ['afternoon'],
        summary: '扫描或输入家长的接送码后交接',
        params: groupParams,
        headers: idemHeaders,
        body: z.object({ studentId: z.uuid().optional(), code: z.string().trim().min(8).max(300) }).strict(),
      },
    },
    (req) =>
      replayable(
        req,
        async ({ g, sd }, actor, schoolId) => {
          // the code is checked at the time the request arrives: a queued tap replayed after it expired is refused (not stored)
          const secret = await codeSecret(db, actor, schoolId);
          const t = now().getTime();
          let studentId = req.body.studentId;
          let guardianId: string;
          if (req.body.code.startsWith('KH1.')) {
            const v = verifyPickupToken(secret, req.body.code, t, { schoolId, day: sd.day });
            if (!v.ok) {
              const [code, message] = CODE_ERRORS[v.reason];
              throw new AppError(422, code, message);
            }
            if (studentId && v.claims.studentId !== studentId)
              throw new AppError(422, 'PICKUP_CODE_OTHER_CHILD', '这是另一个孩子的接送码，不能接走该学生');
            studentId = v.claims.studentId;
            guardianId = v.claims.guardianId;
          } else {
            if (!studentId) throw new AppError(400, 'STUDENT_REQUIRED', '输入数字接送码前请先选择学生');
            const guardians = await queryRows<{ guardian_id: string }>(
              db,
              sql`SELECT guardian_id FROM student_guardians WHERE school_id = ${schoolId} AND student_id = ${studentId}`,
            );
            const match = matchShortCode(secret, req.body.code, t, {
              schoolId,
              studentId,
              day: sd.day,
              guardianIds: guardians.map((x) => x.guardian_id),
            });
            if (!match) throw new AppError(422, 'PICKUP_CODE_INVALID', '接送码不正确或已过期，请家长刷新后重新出示');
            guardianId = match;
          }
          const pupil = studentId;
          const [inGroup] = await queryRows(
            db,
            sql`SELECT 1 FROM attendance WHERE school_id = ${schoolId} AND day = ${sd.day}::date AND group_id = ${g.id} AND student_id = ${pupil}`,
          );
          if (!inGroup) throw new AppError(422, 'PICKUP_CODE_OTHER_CHILD', '这个孩子不在本组今天的名单中');
          return (tx) => release({ tx, actor, schoolId, day: sd.day, groupId: g.id, termId: g.term_id }, pupil, { guardianId });
        },
        'release',
      ),
  );
};
