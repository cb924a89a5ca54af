/**
 * Demo of payments and the term's accounts for school 1: a few offline payments (cash, a bank
 * transfer with its serial number, a campus card), one online payment settled as the provider's
 * notification would settle it, a partial refund, a bank statement reconciled (one line matched,
 * one left over), materials bought from the service money, and the term's accounts published.
 * Payments need bills: pupils are paid for only where the billing demo has posted a receivable.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import type { DemoContext, DemoExtension } from '../../db/demo/extensions';
import { expenses, payments, refunds, statementLines, termAccountReports } from '../../db/schema';
import { newId } from '../../lib/ids';
import { buildTermAccounts } from '../accounts/report';
import { postTransaction } from '../ledger';
import { type OfflineMethod, postRefund, recordOfflinePayment, settleOnline } from './service';

export const paymentsDemo: DemoExtension = async (tx: Db, ctx: DemoContext) => {
  const schoolId = ctx.schoolIds[0];
  const [term] = await queryRows<{ id: string; starts_on: string }>(
    tx,
    sql`SELECT id, starts_on::text FROM terms WHERE school_id = ${schoolId} ORDER BY starts_on DESC LIMIT 1`,
  );
  if (!term) return;
  const office: Actor = {
    accountId: ctx.accounts.admin,
    displayName: '演示数据',
    sessionHash: '',
    csrfToken: '',
    schoolId,
    districtId: null,
    roles: ['school_admin'],
    permissions: new Set(),
    ip: '127.0.0.1',
  };
  const owing = await queryRows<{ student_id: string; due: string }>(
    tx,
    sql`SELECT student_id, SUM(amount_fen)::text AS due FROM ledger_entries
         WHERE school_id = ${schoolId} AND term_id = ${term.id} AND account = 'receivable.guardian'
         GROUP BY student_id HAVING SUM(amount_fen) > 0 ORDER BY student_id LIMIT 6`,
  );
  const methods: [OfflineMethod, string | null][] = [
    ['cash', null],
    ['transfer', 'B20260915000871'],
    ['campus_card', 'XYK-0915-0033'],
    ['cash', null],
  ];
  const paid: string[] = [];
  for (const [i, o] of owing.slice(0, methods.length).entries()) {
    const [method, ref] = methods[i];
    const { payment } = await recordOfflinePayment(tx, office, schoolId, {
      studentId: o.student_id,
      termId: term.id,
      method,
      amountFen: Number(o.due),
      externalRef: ref,
      note: '演示数据',
      idempotencyKey: `demo-payment-${i}`,
    });
    paid.push(payment.id);
  }
  // one online payment, as the provider's signed notification settles it
  const online = owing[methods.length];
  if (online) {
    const id = newId();
    await tx.insert(payments).values({
      schoolId,
      id,
      termId: term.id,
      studentId: online.student_id,
      method: 'online',
      amountFen: Number(online.due),
      status: 'pending',
      externalRef: 'SIM-DEMO-0001',
      recordedBy: ctx.accounts.parent,
    });
    await settleOnline(tx, schoolId, { orderId: 'SIM-DEMO-0001', outTradeNo: id, amountFen: Number(online.due) });
  }
  // a partial refund of the first cash payment (leave approved after paying)
  if (paid[0]) {
    const [p] = await tx.select().from(payments).where(sql`${payments.schoolId} = ${schoolId} AND ${payments.id} = ${paid[0]}`);
    const amount = Math.min(5_000, p.amountFen);
    const [r] = await tx
      .insert(refunds)
      .values({
        schoolId,
        id: newId(),
        paymentId: p.id,
        amountFen: amount,
        reason: '病假两周，按天退费',
        status: 'succeeded',
        recordedBy: ctx.accounts.admin,
      })
      .returning();
    await postRefund(tx, ctx.accounts.admin, p, r);
  }
  // the bank statement: the transfer (matched by its serial number) and a deposit nobody recorded
  if (paid[1]) {
    const [p] = await tx.select().from(payments).where(sql`${payments.schoolId} = ${schoolId} AND ${payments.id} = ${paid[1]}`);
    const day = new Date((p.settledAt ?? new Date()).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const batchId = newId();
    await tx.insert(statementLines).values([
      {
        schoolId,
        id: newId(),
        batchId,
        source: 'bank',
        lineNo: 1,
        occurredOn: day,
        amountFen: p.amountFen,
        reference: p.externalRef ?? '',
        payer: '家长转账',
        matchedPaymentId: p.id,
        importedBy: ctx.accounts.admin,
      },
      {
        schoolId,
        id: newId(),
        batchId,
        source: 'bank',
        lineNo: 2,
        occurredOn: day,
        amountFen: 36_000,
        reference: 'B20260915000999',
        payer: '未注明学生姓名',
        importedBy: ctx.accounts.admin,
      },
    ]);
  }
  // materials bought from the service money, then the term's accounts published (version 1)
  const expenseId = newId();
  await tx.insert(expenses).values({
    schoolId,
    id: expenseId,
    termId: term.id,
    account: 'expense.materials',
    amountFen: 128_000,
    description: '美术与手工耗材',
    spentOn: term.starts_on,
    recordedBy: ctx.accounts.admin,
  });
  await postTransaction(tx, {
    schoolId,
    termId: term.id,
    kind: 'adjustment',
    sourceType: 'expense',
    sourceId: expenseId,
    memo: '美术与手工耗材',
    postedBy: ctx.accounts.admin,
    lines: [
      { account: 'expense.materials', amountFen: 128_000 },
      { account: 'cash.offline', amountFen: -128_000 },
    ],
  });
  const report = await buildTermAccounts(tx, schoolId, term.id, ctx.today);
  await tx.insert(termAccountReports).values({
    schoolId,
    id: newId(),
    termId: term.id,
    version: 1,
    snapshot: report,
    note: '期中公示（演示数据）',
    publishedBy: ctx.accounts.admin,
  });
};
