/**
 * The amount in Chinese capital numerals (人民币大写), as printed on receipts and invoices:
 * 12345 fen → 壹佰贰拾叁元肆角伍分; 100 fen → 壹元整; 1000001 fen → 壹万元零壹分.
 * Rules (the usual 财务 conventions): 零 once for a run of zeros inside the number, no 零 at the end
 * of a section, 万/亿 kept even when their section is zero up to that unit, 整 when there are no 分.
 */
const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const SMALL = ['', '拾', '佰', '仟'];
const BIG = ['', '万', '亿', '万亿'];

/** An integer of yuan ≥ 1 in capitals, without the trailing 元. */
function integerPart(n: bigint): string {
  const groups: number[] = [];
  for (let v = n; v > 0n; v /= 10000n) groups.push(Number(v % 10000n));
  let out = '';
  let pendingZero = false;
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g];
    if (group === 0) {
      // a whole zero section: remember to write one 零 before the next non-zero digit
      if (out) pendingZero = true;
      continue;
    }
    // a section below 1000 after a higher section needs a 零 (壹万零伍佰)
    if (out && group < 1000) pendingZero = true;
    let section = '';
    let zeroInside = false;
    for (let p = 3; p >= 0; p--) {
      const d = Math.floor(group / 10 ** p) % 10;
      if (d === 0) {
        if (section) zeroInside = true;
        continue;
      }
      if (zeroInside) section += '零';
      zeroInside = false;
      section += DIGITS[d] + SMALL[p];
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += section + BIG[g];
  }
  return out;
}

export function capitalAmount(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError('amount must be whole fen');
  if (fen === 0) return '零元整';
  const sign = fen < 0 ? '负' : '';
  const abs = BigInt(Math.abs(fen));
  const yuan = abs / 100n;
  const jiao = Number((abs / 10n) % 10n);
  const fenDigit = Number(abs % 10n);
  let out = sign;
  if (yuan > 0n) out += `${integerPart(yuan)}元`;
  if (jiao === 0 && fenDigit === 0) return `${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan > 0n) out += '零'; // 壹元零伍分
  if (fenDigit > 0) out += `${DIGITS[fenDigit]}分`;
  else out += '整'; // 壹元伍角整
  return out;
}

/** Reads a capital amount back into fen (for the property test: capitalAmount is one-to-one). */
export function parseCapitalAmount(text: string): number {
  const digit = (c: string) => DIGITS.indexOf(c);
  let s = text;
  let sign = 1;
  if (s.startsWith('负')) {
    sign = -1;
    s = s.slice(1);
  }
  s = s.replace(/整$/, '');
  let fen = 0;
  const fenMatch = /(.)分$/.exec(s);
  if (fenMatch) {
    fen += digit(fenMatch[1]);
    s = s.slice(0, -2);
  }
  const jiaoMatch = /(.)角$/.exec(s);
  if (jiaoMatch) {
    fen += digit(jiaoMatch[1]) * 10;
    s = s.slice(0, -2);
  }
  s = s.replace(/零$/, '').replace(/元$/, '');
  let total = 0;
  let section = 0;
  let number = 0;
  for (const c of s) {
    const d = digit(c);
    if (d > 0) number = d;
    else if (c === '拾' || c === '佰' || c === '仟') {
      section += number * 10 ** SMALL.indexOf(c);
      number = 0;
    } else if (c === '万') {
      total += (section + number) * 10_000;
      section = 0;
      number = 0;
    } else if (c === '亿') {
      total = (total + section + number) * 100_000_000;
      section = 0;
      number = 0;
    }
  }
  total += section + number;
  return sign * (total * 100 + fen);
}
