/** A small seeded PRNG (mulberry32): the simulation prints its seed, and KEHOU_SIM_SEED replays a run. */
export interface Rng {
  seed: number;
  next(): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
}

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, next, chance: (p) => next() < p, pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

export const simSeed = () => {
  const env = process.env.KEHOU_SIM_SEED;
  return env ? Number(env) : Math.floor(Math.random() * 2 ** 31);
};
