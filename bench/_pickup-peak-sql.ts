/**
 * The pgbench side of pickup-peak: the SQL statements that one release runs, captured from a real
 * release over HTTP (every query the pg driver sent while it ran, in order, BEGIN and COMMIT
 * included), with that request's own values — the session's token hash, the teacher's account, the
 * group, the pupil, the pick-up adult, the idempotency key — replaced by the values of pupil `:i`,
 * which the script reads first from a small table the benchmark fills (`bench_release`). The other
 * values (the school, the day, the audit detail's text) are written in as they were sent.
 */
import pg from 'pg';

export interface Captured {
  text: string;
  values: unknown[];
}

/** Records every query of every pg client while `on` is set (pool queries go through a client too). */
export function captureQueries() {
  const seen: Captured[] = [];
  let on = false;
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (on) {
      const [q, v] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
      if (typeof q === 'string') seen.push({ text: q, values: Array.isArray(v) ? v : [] });
      else if (q && typeof q === 'object' && 'text' in q) seen.push({ text: q.text, values: q.values ?? (Array.isArray(v) ? v : []) });
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return {
    seen,
    start: () => {
      seen.length = 0;
      on = true;
    },
    stop: () => {
      on = false;
    },
    restore: () => {
      pg.Client.prototype.query = original;
    },
  };
}

/** The columns of bench_release: the per-release values pgbench reads for pupil :i. */
export const RELEASE_VARS = ['token_hash', 'account_id', 'group_id', 'student_id', 'pickup_id', 'idem_key'] as const;
export type ReleaseVars = Record<(typeof RELEASE_VARS)[number], string>;

/** A string literal of unknown type; in an E-string a colon is spelt \x3a, since pgbench would
 * read ':x' inside a literal as one of its variables. */
const lit = (s: string) =>
  !s.includes(':') ? `'${s.replace(/'/g, "''")}'` : `E'${s.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/:/g, '\\x3a')}'`;

/** The text's own string literals that hold a colon, as E-strings with the colon spelt \x3a. */
const colonFree = (text: string) =>
  text.replace(/'((?:[^']|'')*)'/g, (m, body: string) =>
    body.includes(':') ? `E'${body.replace(/\\/g, '\\\\').replace(/:/g, '\\x3a')}'` : m,
  );

/** A value as pgbench script text: a variable where it is one of the request's own values, else a literal. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function valueText(v: unknown, vars: Map<string, string>, fresh?: Set<string>): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return lit(v.toISOString());
  if (Array.isArray(v)) return `ARRAY[${v.map((x) => valueText(x, vars)).join(', ')}]`;
  if (typeof v === 'object') return lit(JSON.stringify(v));
  const s = String(v);
  const name = vars.get(s);
  if (name) return `:${name}`;
  // an id the application made up for a new row (the audit record's): a new one per transaction
  if (fresh && UUID.test(s) && !fresh.has(s)) return 'gen_random_uuid()';
  return lit(s);
}

/**
 * The pgbench script of one release: read pupil :i's values, then the captured statements with
 * them. `sample` holds the values the captured request used (to recognise them in the statements);
 * in an INSERT, any other uuid but the `constants` (the school's) is a new row's id, made anew.
 */
export function releaseScript(statements: Captured[], sample: ReleaseVars, releases: number, constants: string[]): string {
  const keep = new Set(constants);
  const vars = new Map<string, string>(RELEASE_VARS.map((k) => [sample[k], k]));
  const lines = [`\\set i random(1, ${releases})`, `SELECT ${RELEASE_VARS.join(', ')} FROM bench_release WHERE i = :i \\gset`];
  for (const s of statements) {
    // pgbench turns every `:name` into a parameter in prepared mode, inside literals too (a to_char
    // format's HH24:MI): the statement's own literals spell their colons \x3a;
    // a `--` comment would swallow the rest of the statement once it is on one line
    const text = colonFree(s.text.replace(/--[^\n]*/g, ''))
      .replace(/\$(\d+)/g, (_m, n: string) => valueText(s.values[Number(n) - 1], vars, /^\s*insert\b/i.test(s.text) ? keep : undefined))
      .trim();
    lines.push(`${text.replace(/\s*\n\s*/g, ' ').replace(/;$/, '')};`);
  }
  return `${lines.join('\n')}\n`;
}
