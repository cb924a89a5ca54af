/**
 * One place turns every failure into `{ code, message }`: validation → 400 with the field named,
 * our AppErrors as they are, database constraint violations as 409/400, and anything unforeseen
 * as a logged 500 (the tests' fuzzers make sure there are none).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError, z } from 'zod';
import { AppError } from './errors';

// Users read validation messages: zod's own texts in Chinese (the English UI shows our page texts).
z.config(z.locales.zhCN());

interface PgLikeError {
  code?: string;
  constraint?: string;
}

const PG_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  '23505': { status: 409, code: 'DUPLICATE', message: '记录已存在（重复）' },
  '23503': { status: 409, code: 'IN_USE_OR_MISSING', message: '关联的记录不存在或仍被使用' },
  '23514': { status: 409, code: 'CONSTRAINT', message: '数据不满足约束条件' },
  '22P02': { status: 400, code: 'VALIDATION', message: '输入格式有误' },
  '22001': { status: 400, code: 'VALIDATION', message: '输入内容过长' },
  // Input the schemas let through but PostgreSQL cannot store: NUL characters in text (22021) or
  // in jsonb (22P05), impossible dates (22007/22008), numbers out of a column's range (22003).
  '22021': { status: 400, code: 'VALIDATION', message: '输入包含无法保存的字符' },
  '22P05': { status: 400, code: 'VALIDATION', message: '输入包含无法保存的字符' },
  '22007': { status: 400, code: 'VALIDATION', message: '日期或时间格式有误' },
  '22008': { status: 400, code: 'VALIDATION', message: '日期或时间超出范围' },
  '22003': { status: 400, code: 'VALIDATION', message: '数值超出范围' },
};

const CONTEXT_NAMES: Record<string, string> = { body: '', querystring: '查询参数 ', params: '路径参数 ', headers: '请求头 ' };

/** `body` + `/items/0/name` → "items.0.name"; the request part is named only when it is not the body. */
function fieldPath(context: string | undefined, instancePath: string): string {
  const field = instancePath.split('/').filter(Boolean).join('.');
  const where = CONTEXT_NAMES[context ?? 'body'] ?? `${context} `;
  return `${where}${field}`.trim();
}

export function handleError(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) {
    return reply.code(err.status).send({ code: err.code, message: err.message, details: err.details });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      path: fieldPath(err.validationContext, v.instancePath),
      message: v.message,
    }));
    const first = issues[0];
    return reply.code(400).send({
      code: 'VALIDATION',
      message: first ? `输入有误${first.path ? `（${first.path}）` : ''}：${first.message ?? ''}` : '输入有误',
      details: issues,
    });
  }
  if (err instanceof ZodError) {
    return reply.code(400).send({ code: 'VALIDATION', message: `输入有误：${err.issues[0]?.message ?? ''}`, details: err.issues });
  }
  const dbErr = pgErrorOf(err);
  const pg = dbErr?.code ? PG_ERRORS[dbErr.code] : undefined;
  if (pg) {
    return reply.code(pg.status).send({ code: pg.code, message: pg.message, details: { constraint: dbErr?.constraint } });
  }
  const fe = err as FastifyError;
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code =
      fe.statusCode === 413
        ? 'TOO_LARGE'
        : fe.statusCode === 415
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : fe.statusCode === 429
            ? 'RATE_LIMITED'
            : 'BAD_REQUEST';
    const message =
      fe.statusCode === 413
        ? '上传内容过大'
        : fe.statusCode === 415
          ? '不支持的内容类型'
          : fe.statusCode === 429
            ? '操作过于频繁，请稍后再试'
            : '请求格式有误';
    return reply.code(fe.statusCode).send({ code, message });
  }
  req.log.error({ err }, 'unhandled error');
  return reply.code(500).send({ code: 'INTERNAL', message: '服务器内部错误，请稍后再试' });
}

/** drizzle wraps driver errors (DrizzleQueryError) and keeps the driver's error as `cause`. */
function pgErrorOf(err: unknown): PgLikeError | undefined {
  for (let e = err as (PgLikeError & { cause?: unknown }) | undefined, i = 0; e && i < 4; e = e.cause as never, i++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e;
  }
  return undefined;
}
