/**
 * A small, fast, seeded pseudo-random generator for demo data, fuzzers and benchmarks. Never for secrets.
 *
 * How it works: the generator is Chris Doty-Humphrey's sfc32 ("small fast chaotic", from PractRand):
 * 128 bits of state in four 32-bit words, one add-xor-shift-rotate round per output, plus a counter word
 * that guarantees a period of at least 2^32 from any seed (the expected period is about 2^127). It passes
 * PractRand and BigCrush, which mulberry32 (32 bits of state) does not, at the same speed in V8 because
 * every step is `| 0` / `>>> 0` integer arithmetic.
 *
 * Seeding goes through splitmix32, whose strong avalanche turns nearby seeds (1, 2, 3…) into unrelated
 * states; the first outputs are then discarded so the state is well mixed. `stream(seed, i)` derives an
 * independent generator per index, so a generator can give account i its own stream: account i's data
 * does not depend on how many draws account i − 1 happened to make.
 */

const TWO_POW_32 = 4294967296;

/** One splitmix32 step: a bijective 32-bit mixer (its output is the seed of the next call). */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box–Muller yields normals in pairs; the second is kept for the next call (still deterministic). */
  private spare = Number.NaN;

  /** `seed` is any safe integer; its high bits count too, so 2^32 + 1 and 1 are different seeds. */
  constructor(seed: number, streamIndex = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer: ${seed}`);
    if (!Number.isSafeInteger(streamIndex) || streamIndex < 0) throw new RangeError(`stream index must be a natural number: ${streamIndex}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    const s0 = mix32(lo ^ mix32(hi ^ 0x5eed));
    const s1 = mix32(s0 ^ mix32(streamIndex >>> 0));
    const s2 = mix32(s1 ^ mix32(Math.floor(streamIndex / TWO_POW_32) >>> 0));
    this.a = s0 | 0;
    this.b = s1 | 0;
    this.c = s2 | 0;
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** An independent generator for index i of a seed (an account, a replica, a fuzz round). */
  static stream(seed: number, index: number): Prng {
    return new Prng(seed, index);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution (enough for sampling; not for 53-bit floats). */
  float(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^32. The modulo bias is below n / 2^32: irrelevant here. */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [min, max], both inclusive. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /**
   * Picks by weight from a table built once with `weightedTable` (cumulative weights, so a draw is a
   * short linear scan; the tables here have a handful of rows).
   */
  weighted<T>(table: WeightedTable<T>): T {
    const x = this.float() * table.total;
    const { cumulative, items } = table;
    for (let i = 0; i < cumulative.length; i++) if (x < (cumulative[i] as number)) return items[i] as T;
    return items[items.length - 1] as T;
  }

  /** Standard normal by Box–Muller. */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return s;
    }
    // 1 − float() lies in (0, 1], so the logarithm is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.float()));
    const theta = 2 * Math.PI * this.float();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Log-normal with the given median and log-space standard deviation (heavy right tail). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean (gaps of a Poisson process). */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** A Poisson count; Knuth's product method below 30, a rounded normal above (the counts are not sensitive). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }
}

export interface WeightedTable<T> {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
  readonly total: number;
}

export function weightedTable<T>(rows: readonly (readonly [T, number])[]): WeightedTable<T> {
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of rows) {
    if (!(weight >= 0)) throw new RangeError('weights must be non-negative');
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  if (total <= 0) throw new RangeError('weights must not all be zero');
  return { items, cumulative, total };
}
