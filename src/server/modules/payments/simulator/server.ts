/**
 * A payment provider simulator: a separate HTTP server on loopback that speaks the provider API of
 * ../provider.ts, so the demo and the tests exercise the real HTTP path (signed requests out, a
 * signed notification back to the school's notify URL) without a real provider.
 *
 *   POST /v1/orders                  create an order (idempotent per merchant + outTradeNo)
 *   GET  /v1/orders/:id              query it
 *   POST /v1/orders/:id/pay          pay it by API (tests), then notify the school
 *   POST /v1/orders/:id/notify       send the paid notification again (a provider's retry)
 *   POST /v1/orders/:id/refunds      refund up to what was paid (idempotent per outRefundNo)
 *   GET  /checkout/:id               the payer's checkout page; its button pays and returns
 *
 * Orders live in memory: the simulator is for demos and tests, never for real money.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreateOrder, ProviderOrder } from '../provider';
import { SIGNATURE_HEADER, sign, verify } from '../signature';

interface SimOrder extends ProviderOrder {
  description: string;
  notifyUrl: string;
  returnUrl: string;
  refunds: Map<string, { refundId: string; amountFen: number }>;
  /** HTTP status of each notification attempt, for tests and the log */
  notifications: number[];
}

export interface Simulator {
  url: string;
  orders: Map<string, SimOrder>;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new Error('too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

function publicOrder(o: SimOrder): ProviderOrder {
  const { orderId, outTradeNo, merchantId, amountFen, status, paidAt, refundedFen, checkoutUrl } = o;
  return { orderId, outTradeNo, merchantId, amountFen, status, paidAt, refundedFen, checkoutUrl };
}

function checkoutPage(o: SimOrder): string {
  const paid = o.status === 'paid';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>模拟支付平台</title><style>
body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:0;background:#f5f5f5;color:#222}
main{max-width:420px;margin:0 auto;padding:24px 16px}.card{background:#fff;border-radius:12px;padding:20px;text-align:center}
.amount{font-size:36px;font-weight:600;margin:12px 0}.muted{color:#888;font-size:14px}
button{width:100%;padding:14px;font-size:18px;border:0;border-radius:8px;background:#07c160;color:#fff;margin-top:20px}
.banner{background:#fff7e6;color:#ad6800;padding:8px;border-radius:8px;font-size:13px;margin-bottom:12px}</style></head>
<body><main><div class="banner">模拟支付平台（演示与测试用，不产生真实扣款）· Payment simulator</div>
<div class="card"><div class="muted">${escapeHtml(o.merchantId)}</div><div>${escapeHtml(o.description)}</div>
<div class="amount">¥${yuan(o.amountFen)}</div><div class="muted">订单号 ${escapeHtml(o.orderId)}</div>
${
  paid
    ? `<p>已支付</p><a href="${escapeHtml(o.returnUrl)}">返回学校页面</a>`
    : `<form method="post" action="/checkout/${encodeURIComponent(o.orderId)}/pay"><button type="submit">确认支付 ¥${yuan(o.amountFen)}</button></form>`
}
</div></main></body></html>`;
}

export async function startSimulator(opts: { secret: string; port?: number; host?: string }): Promise<Simulator> {
  const orders = new Map<string, SimOrder>();
  const byTradeNo = new Map<string, string>();
  const host = opts.host ?? '127.0.0.1';
  let base = '';

  async function notify(o: SimOrder): Promise<number> {
    const body = JSON.stringify({
      event: 'order.paid',
      orderId: o.orderId,
      outTradeNo: o.outTradeNo,
      merchantId: o.merchantId,
      amountFen: o.amountFen,
      paidAt: o.paidAt,
    });
    // a real provider retries a failed notification; three quick tries are enough here
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const r = await fetch(o.notifyUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(opts.secret, body) },
          body,
          signal: AbortSignal.timeout(5000),
        });
        o.notifications.push(r.status);
        await r.arrayBuffer();
        if (r.ok || (r.status >= 400 && r.status < 500)) return r.status;
      } catch {
        o.notifications.push(0);
      }
      await new Promise((res) => setTimeout(res, 200 * (attempt + 1)));
    }
    return o.notifications[o.notifications.length - 1] ?? 0;
  }

  async function pay(o: SimOrder): Promise<number | null> {
    if (o.status !== 'created') return null;
    o.status = 'paid';
    o.paidAt = new Date().toISOString();
    return notify(o);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', base);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const body = req.method === 'POST' ? await readBody(req) : '';

    if (parts[0] === 'checkout' && parts[1]) {
      const o = orders.get(parts[1]);
      if (!o) return send(res, 404, { code: 'ORDER_NOT_FOUND', message: '订单不存在' });
      if (req.method === 'GET' && parts.length === 2) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(checkoutPage(o));
      }
      if (req.method === 'POST' && parts[2] === 'pay') {
        await pay(o);
        res.writeHead(303, { location: o.returnUrl });
        return res.end();
      }
      return send(res, 404, { code: 'NOT_FOUND', message: '未知地址' });
    }

    if (parts[0] !== 'v1' || parts[1] !== 'orders') return send(res, 404, { code: 'NOT_FOUND', message: '未知地址' });
    const sig = req.headers[SIGNATURE_HEADER];
    if (!verify(opts.secret, body, Array.isArray(sig) ? sig[0] : sig))
      return send(res, 401, { code: 'BAD_SIGNATURE', message: '签名无效' });

    if (req.method === 'POST' && parts.length === 2) {
      let o: CreateOrder;
      try {
        o = JSON.parse(body);
      } catch {
        return send(res, 400, { code: 'BAD_REQUEST', message: '请求体不是 JSON' });
      }
      if (!Number.isSafeInteger(o.amountFen) || o.amountFen <= 0 || !o.outTradeNo || !o.merchantId || !o.notifyUrl)
        return send(res, 400, { code: 'BAD_REQUEST', message: '订单参数有误' });
      const key = `${o.merchantId}\u0000${o.outTradeNo}`;
      const existing = byTradeNo.get(key);
      if (existing) return send(res, 200, publicOrder(orders.get(existing) as SimOrder));
      const orderId = `SIM${Date.now()}${randomBytes(4).toString('hex')}`;
      const order: SimOrder = {
        orderId,
        outTradeNo: o.outTradeNo,
        merchantId: o.merchantId,
        amountFen: o.amountFen,
        status: 'created',
        paidAt: null,
        refundedFen: 0,
        checkoutUrl: `${base}/checkout/${orderId}`,
        description: String(o.description ?? '').slice(0, 200),
        notifyUrl: o.notifyUrl,
        returnUrl: o.returnUrl,
        refunds: new Map(),
        notifications: [],
      };
      orders.set(orderId, order);
      byTradeNo.set(key, orderId);
      return send(res, 201, publicOrder(order));
    }

    const o = parts[2] ? orders.get(parts[2]) : undefined;
    if (!o) return send(res, 404, { code: 'ORDER_NOT_FOUND', message: '订单不存在' });
    if (req.method === 'GET' && parts.length === 3) return send(res, 200, publicOrder(o));
    if (req.method === 'POST' && parts[3] === 'pay') {
      const notified = await pay(o);
      return send(res, 200, { ...publicOrder(o), notified });
    }
    if (req.method === 'POST' && parts[3] === 'notify') {
      if (o.status === 'created') return send(res, 409, { code: 'NOT_PAID', message: '订单未支付' });
      return send(res, 200, { notified: await notify(o) });
    }
    if (req.method === 'POST' && parts[3] === 'refunds') {
      let r: { outRefundNo?: string; amountFen?: number };
      try {
        r = JSON.parse(body);
      } catch {
        return send(res, 400, { code: 'BAD_REQUEST', message: '请求体不是 JSON' });
      }
      if (!r.outRefundNo || !Number.isSafeInteger(r.amountFen) || (r.amountFen ?? 0) <= 0)
        return send(res, 400, { code: 'BAD_REQUEST', message: '退款参数有误' });
      const done = o.refunds.get(r.outRefundNo);
      if (done) return send(res, 200, { refundId: done.refundId, status: 'succeeded' });
      if (o.status !== 'paid') return send(res, 409, { code: 'NOT_PAID', message: '订单未支付，不能退款' });
      if ((r.amountFen as number) > o.amountFen - o.refundedFen)
        return send(res, 409, { code: 'REFUND_EXCEEDS', message: '退款超过可退金额' });
      const refundId = `SIMR${Date.now()}${randomBytes(3).toString('hex')}`;
      o.refunds.set(r.outRefundNo, { refundId, amountFen: r.amountFen as number });
      o.refundedFen += r.amountFen as number;
      return send(res, 200, { refundId, status: 'succeeded' });
    }
    return send(res, 404, { code: 'NOT_FOUND', message: '未知地址' });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { code: 'INTERNAL', message: 'simulator error' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://${host}:${port}`;
  return {
    url: base,
    orders,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * For `npm start`: outside production, and unless a real provider is configured, start the
 * simulator on loopback and point the app at it. KEHOU_PAY_SIMULATOR=0 turns it off; =1 forces it
 * (even in production, e.g. a training server). KEHOU_PAY_SIMULATOR_PORT picks its port (default PORT + 1).
 */
export async function startSimulatorIfConfigured(env = process.env): Promise<Simulator | null> {
  const flag = env.KEHOU_PAY_SIMULATOR;
  const wanted = flag === '1' || (flag !== '0' && env.NODE_ENV !== 'production' && !env.KEHOU_PAY_PROVIDER_URL);
  if (!wanted) return null;
  const secret = env.KEHOU_PAY_SECRET || randomBytes(24).toString('hex');
  const port = Number(env.KEHOU_PAY_SIMULATOR_PORT ?? Number(env.PORT ?? 3000) + 1);
  const sim = await startSimulator({ secret, port });
  env.KEHOU_PAY_PROVIDER_URL = sim.url;
  env.KEHOU_PAY_SECRET = secret;
  return sim;
}
