import { describe, expect, it } from 'vitest';
import { SignInLimiter } from '../../sync-server/auth/sign-in-limiter';

describe('SignInLimiter (injected clock)', () => {
  const make = (o: { freePerLogin?: number; freePerAddress?: number; maxKeys?: number } = {}) => {
    let now = 1_000_000;
    const limiter = new SignInLimiter({ now: () => now, freePerLogin: 3, freePerAddress: 10, baseLockMs: 1000, maxLockMs: 8000, forgetMs: 60_000, ...o });
    return { limiter, tick: (ms: number) => (now += ms) };
  };

  it('locks a login at the third failure, for twice as long after each further failure, up to the cap', () => {
    const { limiter, tick } = make();
    for (let i = 0; i < 3; i++) {
      expect(limiter.check('ana', 'a')).toEqual({ ok: true });
      limiter.failed('ana', 'a');
    }
    expect(limiter.check('ana', 'a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    const locks: number[] = [];
    for (let i = 0; i < 5; i++) {
      tick(10_000);
      limiter.failed('ana', 'a');
      const v = limiter.check('ana', 'a');
      locks.push(v.ok ? 0 : v.retryAfterSeconds);
    }
    expect(locks).toEqual([2, 4, 8, 8, 8]);
    tick(7_999);
    expect(limiter.check('ana', 'a').ok).toBe(false);
    tick(1);
    expect(limiter.check('ana', 'a')).toEqual({ ok: true });
  });

  it('keys logins case-insensitively, and forgets failures a while after the last one', () => {
    const { limiter, tick } = make();
    for (let i = 0; i < 3; i++) limiter.failed(i % 2 === 0 ? 'Ana' : ' ana ', `addr-${i}`);
    expect(limiter.check('ANA', 'other').ok).toBe(false);
    tick(60_001);
    expect(limiter.check('ana', 'other')).toEqual({ ok: true });
    limiter.failed('ana', 'x');
    expect(limiter.check('ana', 'x')).toEqual({ ok: true });
  });

  it('locks an address that fails across many logins; a success clears the login but not the address', () => {
    const { limiter } = make();
    for (let i = 0; i < 10; i++) limiter.failed(`user-${i}`, '10.0.0.1');
    expect(limiter.check('someone-else', '10.0.0.1').ok).toBe(false);
    expect(limiter.check('someone-else', '10.0.0.2')).toEqual({ ok: true });
    limiter.succeeded('someone-else');
    expect(limiter.check('someone-else', '10.0.0.1').ok).toBe(false);
    for (let i = 0; i < 3; i++) limiter.failed('bo', `a-${i}`);
    expect(limiter.check('bo', 'fresh').ok).toBe(false);
    limiter.succeeded('bo');
    expect(limiter.check('bo', 'fresh')).toEqual({ ok: true });
  });

  it('stays bounded: the least recently failed keys are dropped first', () => {
    const { limiter } = make({ maxKeys: 2, freePerLogin: 1, freePerAddress: 100 });
    limiter.failed('a', 'x');
    limiter.failed('b', 'x');
    limiter.failed('c', 'x');
    expect(limiter.check('a', 'y')).toEqual({ ok: true });
    expect(limiter.check('b', 'y').ok).toBe(false);
    expect(limiter.check('c', 'y').ok).toBe(false);
  });
});
