/**
 * Pure allocation logic: seeded randomness, the weighted lottery order (R14/N3), serial
 * dictatorship for ranked choices, filling seats up to capacity and the waitlist that follows.
 * No database here: the SQL side (seats.ts, lottery.ts) applies what these functions decide, and
 * allocation.test.ts proves their properties with fast-check.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A reproducible stream of numbers in (0, 1) from any seed text (sha256 → sfc32). */
export function seededRandom(seed: string): () => number {
  const h = createHash('sha256').update(seed).digest();
  let a = h.readUInt32LE(0);
  let b = h.readUInt32LE(4);
  let c = h.readUInt32LE(8);
  let d = h.readUInt32LE(12);
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return ((t >>> 0) + 0.5) / 4294967296; // never 0, never 1
  };
  for (let i = 0; i < 12; i++) next(); // warm up
  return next;
}

export interface Entrant {
  /** the pupil (student id) */
  id: string;
  weight: number;
}

export interface Drawn extends Entrant {
  /** 1-based place in the draw */
  place: number;
  /** the random key that placed it (lower first), kept so anyone can re-check the draw */
  key: number;
}

/**
 * A weighted random order without replacement (Efraimidis–Spirakis): each entrant draws
 * key = -ln(u) / weight and the order is by key. The first place goes to entrant i with
 * probability weight_i / Σ weight, and so on down the list. Entrants are sorted by id first, so
 * the same seed and the same entrants give the same order whatever order they came in.
 * A weight of 0 places an entrant after every positive weight.
 */
export function weightedOrder(entrants: readonly Entrant[], seed: string): Drawn[] {
  const rand = seededRandom(seed);
  const sorted = [...entrants].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const keyed = sorted.map((e) => {
    const u = rand();
    const key = e.weight > 0 ? -Math.log(u) / e.weight : Number.POSITIVE_INFINITY;
    return { ...e, key, tie: u };
  });
  keyed.sort((x, y) => x.key - y.key || x.tie - y.tie || (x.id < y.id ? -1 : 1));
  return keyed.map(({ tie: _tie, ...e }, i) => ({ ...e, place: i + 1 }));
}

/**
 * Priority first, then random (the order for ranked choice): entrants with a higher weight come
 * before lower ones; within the same weight the seed decides.
 */
export function priorityThenRandom(entrants: readonly Entrant[], seed: string): Drawn[] {
  const drawn = weightedOrder(
    entrants.map((e) => ({ ...e, weight: 1 })),
    seed,
  );
  const weightOf = new Map(entrants.map((e) => [e.id, e.weight]));
  drawn.sort((x, y) => (weightOf.get(y.id) ?? 0) - (weightOf.get(x.id) ?? 0) || x.place - y.place);
  return drawn.map((d, i) => ({ ...d, weight: weightOf.get(d.id) ?? 0, place: i + 1 }));
}

export interface Filled<T> {
  enrolled: T[];
  waitlisted: T[];
}

/** Fills the free seats in order; everyone after them waits, in the same order. */
export function fillSeats<T>(order: readonly T[], capacity: number, taken = 0): Filled<T> {
  const free = Math.max(0, capacity - taken);
  return { enrolled: order.slice(0, free), waitlisted: order.slice(free) };
}

export interface RankedResult {
  /** pupil → the offering they got (absent: none) */
  assigned: Map<string, string>;
  /** offering → the pupils waiting for it, in order (only pupils who got nothing) */
  waitlists: Map<string, string[]>;
}

/**
 * Serial dictatorship: pupils in `order` take, one after the other, their best-ranked offering
 * that still has a free seat. A pupil who gets none waits on each of their choices in that order.
 */
export function serialDictatorship(
  order: readonly string[],
  preferences: ReadonlyMap<string, readonly string[]>,
  free: ReadonlyMap<string, number>,
): RankedResult {
  const left = new Map(free);
  const assigned = new Map<string, string>();
  const waitlists = new Map<string, string[]>();
  for (const pupil of order) {
    const prefs = preferences.get(pupil) ?? [];
    const got = prefs.find((o) => (left.get(o) ?? 0) > 0);
    if (got) {
      assigned.set(pupil, got);
      left.set(got, (left.get(got) ?? 0) - 1);
      continue;
    }
    for (const o of prefs) {
      const list = waitlists.get(o) ?? [];
      list.push(pupil);
      waitlists.set(o, list);
    }
  }
  return { assigned, waitlists };
}

export interface QueueEntry {
  id: string;
  status: string;
  queueKey: number;
}

const byQueue = (x: QueueEntry, y: QueueEntry) => x.queueKey - y.queueKey || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

/** The waitlist in order: lower queue key first, the id breaks ties (as the SQL does). */
export const waitlistOrder = <T extends QueueEntry>(entries: readonly T[]): T[] =>
  entries.filter((e) => e.status === 'waitlisted').sort(byQueue);

/** Who is promoted when a seat frees: the first on the waitlist. */
export const nextToPromote = <T extends QueueEntry>(entries: readonly T[]): T | undefined => waitlistOrder(entries)[0];

/** "候补第 N 位": the number of waitlisted ahead of the entry, plus one (null when not waitlisted). */
export function waitlistPosition(entries: readonly QueueEntry[], id: string): number | null {
  const me = entries.find((e) => e.id === id);
  if (!me || me.status !== 'waitlisted') return null;
  return entries.filter((e) => e.status === 'waitlisted' && byQueue(e, me) < 0).length + 1;
}

/** A fresh seed for a lottery run: 128 random bits as hex, recorded with the run. */
export const newSeed = (): string => randomBytes(16).toString('hex');
