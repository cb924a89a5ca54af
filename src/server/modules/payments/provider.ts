/**
 * The online payment provider, behind one interface: create an order, query it, refund it, and
 * verify the signed notification it sends when an order is paid. `HttpProvider` speaks the
 * provider API over HTTP (configured by URL + secret); the simulator in ./simulator implements the
 * same API on loopback for the demo and the tests. A WeChat Pay or Alipay adapter would be another
 * implementation of `PaymentProvider` (their SDKs sign with certificates instead of a shared secret).
 */
import { z } from 'zod';
import { AppError } from '../../lib/errors';
import { SIGNATURE_HEADER, sign, verify } from './signature';

export interface CreateOrder {
  merchantId: string;
  /** our payment id: the provider echoes it in the notification */
  outTradeNo: string;
  amountFen: number;
  description: string;
  notifyUrl: string;
  returnUrl: string;
}

export type OrderStatus = 'created' | 'paid' | 'closed';

export interface ProviderOrder {
  orderId: string;
  outTradeNo: string;
  merchantId: string;
  amountFen: number;
  status: OrderStatus;
  paidAt: string | null;
  refundedFen: number;
  checkoutUrl: string;
}

export interface ProviderRefund {
  refundId: string;
  status: 'succeeded' | 'failed';
}

/** What the provider posts to the school's notify URL when an order is paid. */
export const notificationSchema = z.object({
  event: z.literal('order.paid'),
  orderId: z.string().min(1).max(100),
  outTradeNo: z.string().min(1).max(100),
  merchantId: z.string().min(1).max(100),
  amountFen: z.number().int().positive(),
  paidAt: z.string().max(40),
});
export type PaymentNotification = z.infer<typeof notificationSchema>;

export interface PaymentProvider {
  createOrder(o: CreateOrder): Promise<ProviderOrder>;
  queryOrder(orderId: string): Promise<ProviderOrder>;
  refund(o: { orderId: string; outRefundNo: string; amountFen: number; reason: string }): Promise<ProviderRefund>;
  /** The notification if the body carries a valid signature; null otherwise. */
  verifyNotification(rawBody: string, signature: string | undefined): PaymentNotification | null;
}

const unavailable = (why: string) => new AppError(502, 'PROVIDER_UNAVAILABLE', `支付平台暂时不可用：${why}`);

export class HttpProvider implements PaymentProvider {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
    private readonly timeoutMs = 8000,
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const text = body === undefined ? '' : JSON.stringify(body);
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(this.secret, text) },
        body: method === 'POST' ? text : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw unavailable((e as Error).message);
    }
    const json = (await res.json().catch(() => ({}))) as T & { code?: string; message?: string };
    if (res.status >= 500) throw unavailable(`HTTP ${res.status}`);
    if (!res.ok) throw new AppError(422, 'PROVIDER_REFUSED', `支付平台拒绝：${json.message ?? res.status}`);
    return json;
  }

  createOrder(o: CreateOrder) {
    return this.call<ProviderOrder>('POST', '/v1/orders', o);
  }

  queryOrder(orderId: string) {
    return this.call<ProviderOrder>('GET', `/v1/orders/${encodeURIComponent(orderId)}`);
  }

  refund(o: { orderId: string; outRefundNo: string; amountFen: number; reason: string }) {
    return this.call<ProviderRefund>('POST', `/v1/orders/${encodeURIComponent(o.orderId)}/refunds`, {
      outRefundNo: o.outRefundNo,
      amountFen: o.amountFen,
      reason: o.reason,
    });
  }

  verifyNotification(rawBody: string, signature: string | undefined): PaymentNotification | null {
    if (!verify(this.secret, rawBody, signature)) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      return null;
    }
    const r = notificationSchema.safeParse(parsed);
    return r.success ? r.data : null;
  }
}

export interface PayConfig {
  providerUrl: string | null;
  secret: string;
  /** where the provider reaches this server (notify URL) and sends the guardian back to (return URL) */
  publicUrl: string;
}

/**
 * Read at each use, not at start: main.ts may start the simulator (and set these) after the app
 * is built, and tests point them at a simulator on a free port.
 *   KEHOU_PAY_PROVIDER_URL  the provider's API (unset: online payment is off)
 *   KEHOU_PAY_SECRET        the shared signing secret
 *   KEHOU_PUBLIC_URL        this server's address as the provider and browsers see it
 */
export function payConfig(env = process.env): PayConfig {
  return {
    providerUrl: env.KEHOU_PAY_PROVIDER_URL || null,
    secret: env.KEHOU_PAY_SECRET ?? '',
    publicUrl: (env.KEHOU_PUBLIC_URL || `http://127.0.0.1:${env.PORT ?? 3000}`).replace(/\/$/, ''),
  };
}

export function providerOf(cfg = payConfig()): PaymentProvider {
  if (!cfg.providerUrl || !cfg.secret) throw new AppError(409, 'ONLINE_PAYMENT_OFF', '本校未开通线上支付，请到学校办公室缴费');
  return new HttpProvider(cfg.providerUrl, cfg.secret);
}
