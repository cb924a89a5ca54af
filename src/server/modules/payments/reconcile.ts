/**
 * Matching a bank or campus-card statement to the payments the office recorded (pure).
 * A statement line matches a payment of the same channel (bank ↔ transfer, campus card ↔ campus
 * card) and the same amount: first by reference (the bank's serial number typed on the payment),
 * then, for lines without one, by the same day, earliest payment first. A payment is matched once.
 */
export type StatementSource = 'bank' | 'campus_card';
export const SOURCE_METHOD: Record<StatementSource, string> = { bank: 'transfer', campus_card: 'campus_card' };

export interface LineToMatch {
  id: string;
  source: StatementSource;
  occurredOn: string;
  amountFen: number;
  reference: string;
}

export interface PaymentToMatch {
  id: string;
  method: string;
  amountFen: number;
  externalRef: string | null;
  /** the day the payment was recorded, YYYY-MM-DD in China */
  day: string;
}

const norm = (s: string | null) => (s ?? '').trim().toUpperCase();

export function matchStatement(lines: LineToMatch[], candidates: PaymentToMatch[]): Map<string, string> {
  const taken = new Set<string>();
  const result = new Map<string, string>();
  const sorted = [...candidates].sort((a, b) => (a.day === b.day ? (a.id < b.id ? -1 : 1) : a.day < b.day ? -1 : 1));
  const fits = (l: LineToMatch, p: PaymentToMatch) =>
    !taken.has(p.id) && p.method === SOURCE_METHOD[l.source] && p.amountFen === l.amountFen;
  for (const l of lines) {
    if (!norm(l.reference)) continue;
    const p = sorted.find((c) => fits(l, c) && norm(c.externalRef) === norm(l.reference));
    if (p) {
      taken.add(p.id);
      result.set(l.id, p.id);
    }
  }
  for (const l of lines) {
    if (result.has(l.id)) continue;
    // a line whose reference names another payment is not matched by amount alone
    const p = sorted.find((c) => fits(l, c) && c.day === l.occurredOn && (!norm(c.externalRef) || !norm(l.reference)));
    if (p) {
      taken.add(p.id);
      result.set(l.id, p.id);
    }
  }
  return result;
}
