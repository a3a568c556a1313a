/**
 * Failed sign-in backoff, per login and per client address.
 *
 * Each key (the login as typed, lower-cased, and the client's IP) counts its failed attempts. Up to
 * `free` failures cost nothing (people mistype); the `free`-th locks the key for `baseLockMs` and each
 * further one for twice as long as the one before (1 s, 2 s, 4 s … up to `maxLockMs`). While a key is locked every attempt is refused
 * with the time left, without checking the password, so a locked account cannot be probed. A key forgets
 * its failures `forgetMs` after the last one. A success clears the login's count but not the address's:
 * otherwise one valid account would let an attacker reset the address counter between guesses at others.
 *
 * The login key is the text typed, not the user it resolves to, so an unknown login locks exactly like a
 * known one and the backoff cannot be used to find out which users exist.
 *
 * State is in memory: a restart forgets it (acceptable for one process; a scale-out keeps it in the
 * shared store). The maps are bounded: the oldest keys are dropped first.
 */
export interface LimiterOptions {
  readonly now?: () => number;
  /** Failures per login that start the backoff. */
  readonly freePerLogin?: number;
  /** Failures per address that start the backoff (more: an office shares one address). */
  readonly freePerAddress?: number;
  readonly baseLockMs?: number;
  readonly maxLockMs?: number;
  readonly forgetMs?: number;
  readonly maxKeys?: number;
}

interface Entry {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

export type LimiterVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export class SignInLimiter {
  private readonly now: () => number;
  private readonly freePerLogin: number;
  private readonly freePerAddress: number;
  private readonly baseLockMs: number;
  private readonly maxLockMs: number;
  private readonly forgetMs: number;
  private readonly maxKeys: number;
  private readonly logins = new Map<string, Entry>();
  private readonly addresses = new Map<string, Entry>();

  constructor(o: LimiterOptions = {}) {
    this.now = o.now ?? (() => Date.now());
    this.freePerLogin = o.freePerLogin ?? 5;
    this.freePerAddress = o.freePerAddress ?? 20;
    this.baseLockMs = o.baseLockMs ?? 1000;
    this.maxLockMs = o.maxLockMs ?? 15 * 60_000;
    this.forgetMs = o.forgetMs ?? 60 * 60_000;
    this.maxKeys = o.maxKeys ?? 10_000;
  }

  /** May this login try now, from this address? */
  check(login: string, address: string): LimiterVerdict {
    const t = this.now();
    const wait = Math.max(this.remaining(this.logins, loginKey(login), t), this.remaining(this.addresses, address, t));
    return wait > 0 ? { ok: false, retryAfterSeconds: Math.ceil(wait / 1000) } : { ok: true };
  }

  failed(login: string, address: string): void {
    const t = this.now();
    this.bump(this.logins, loginKey(login), this.freePerLogin, t);
    this.bump(this.addresses, address, this.freePerAddress, t);
  }

  succeeded(login: string): void {
    this.logins.delete(loginKey(login));
  }

  private remaining(map: Map<string, Entry>, key: string, t: number): number {
    const e = map.get(key);
    if (e === undefined) return 0;
    if (t - e.lastFailure > this.forgetMs) {
      map.delete(key);
      return 0;
    }
    return Math.max(0, e.lockedUntil - t);
  }

  private bump(map: Map<string, Entry>, key: string, free: number, t: number): void {
    let e = map.get(key);
    if (e === undefined || t - e.lastFailure > this.forgetMs) {
      e = { failures: 0, lastFailure: t, lockedUntil: 0 };
    }
    // Re-insert so the Map's insertion order is least-recently-failed first, for eviction.
    map.delete(key);
    e.failures += 1;
    e.lastFailure = t;
    const over = e.failures - free + 1;
    if (over > 0) e.lockedUntil = t + Math.min(this.maxLockMs, this.baseLockMs * 2 ** Math.min(over - 1, 30));
    map.set(key, e);
    while (map.size > this.maxKeys) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  }
}

function loginKey(login: string): string {
  return login.trim().toLowerCase();
}
