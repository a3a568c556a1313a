import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  add,
  minor,
  minorDigits,
  money,
  parseAmount,
  splitProportionally,
  subtract,
  toDecimalString,
  type CurrencyCode,
  type DecimalStyle,
} from '../../src/domain/money';

const USD = 'USD' as CurrencyCode;
const EUR = 'EUR' as CurrencyCode;
const JPY = 'JPY' as CurrencyCode;
const KWD = 'KWD' as CurrencyCode;
const COMMA_DECIMAL: DecimalStyle = { decimal: ',', thousands: '.' };

function parsed(text: string, currency: CurrencyCode = USD, style?: DecimalStyle): number | undefined {
  const r = parseAmount(text, currency, style);
  return r.ok ? r.value : undefined;
}

describe('parseAmount', () => {
  it.each([
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['1,234,567.89', 123456789],
    ['  42  ', 4200],
    ['0.5', 50],
    ['.75', 75],
    ['7', 700],
  ])('reads %s as %i cents, thousands separators included', (text, cents) => {
    expect(parsed(text)).toBe(cents);
  });

  it.each([
    ['$1,234.56', 123456],
    ['USD 10', 1000],
    ['10 USD', 1000],
    ['US$12.00', 1200],
  ])('ignores the currency symbol or code around %s', (text, cents) => {
    expect(parsed(text)).toBe(cents);
  });

  it.each([
    ['(12.00)', -1200],
    ['-12.00', -1200],
    ['12.00-', -1200],
    ['−12.00', -1200],
    ['-$12.00', -1200],
    ['$-12.00', -1200],
    ['($1,234.56)', -123456],
  ])('reads %s as a credit of %i', (text, cents) => {
    expect(parsed(text)).toBe(cents);
  });

  it('reads minus zero as a plain zero, never −0', () => {
    expect(Object.is(parsed('-0.00'), 0)).toBe(true);
    expect(Object.is(parsed('(0)'), 0)).toBe(true);
  });

  it('reads 1.234,56 with a comma decimal and dot thousands', () => {
    expect(parsed('1.234,56', USD, COMMA_DECIMAL)).toBe(123456);
    expect(parsed('€1.234.567,8', EUR, COMMA_DECIMAL)).toBe(123456780);
    expect(parsed('12,5', EUR, COMMA_DECIMAL)).toBe(1250);
    expect(parsed("1'234.50", USD, { decimal: '.', thousands: "'" })).toBe(123450);
    expect(parsed('1 234,50', EUR, { decimal: ',', thousands: ' ' })).toBe(123450);
  });

  it('scales by the currency: JPY has no decimals, KWD three', () => {
    expect(parsed('1,234', JPY)).toBe(1234);
    expect(parsed('¥500', JPY)).toBe(500);
    expect(parsed('1.5', JPY)).toBeUndefined();
    expect(parsed('1.234', KWD)).toBe(1234);
    expect(parsed('1.5', KWD)).toBe(1500);
    expect(parsed('1.2345', KWD)).toBeUndefined();
  });

  it('refuses more decimals than the currency has instead of rounding', () => {
    expect(parsed('10.005')).toBeUndefined();
    expect(parsed('0.001')).toBeUndefined();
  });

  it.each(['', '   ', 'abc', 'twelve', 'N/A', '$', '-', '.', '1.2.3', '12a34', '1 2', '--12', '(-12)', '-(12)', '12.00--'])(
    'refuses garbage %j',
    (text) => {
      expect(parsed(text)).toBeUndefined();
    },
  );

  it.each(['1,23.00', '12,34', '1,2345.00', ',123.00', '1,,234.00', '1234,567.00'])('refuses misplaced thousands separators in %s', (text) => {
    expect(parsed(text)).toBeUndefined();
  });

  it('refuses amounts beyond the safe integer range', () => {
    expect(parsed('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parsed('90071992547409.92')).toBeUndefined();
    expect(parsed('99999999999999999999')).toBeUndefined();
  });

  it('says what it expected, in the currency and style asked for', () => {
    const usd = parseAmount('abc', USD);
    expect(usd).toEqual({ ok: false, expected: 'an amount in USD with at most 2 decimals, like 1,234.50' });
    const jpy = parseAmount('1.5', JPY);
    expect(jpy.ok ? '' : jpy.expected).toBe('an amount in JPY with at most 0 decimals, like 1,234');
    const eur = parseAmount('x', EUR, COMMA_DECIMAL);
    expect(eur.ok ? '' : eur.expected).toContain('1.234,50');
  });

  it('round-trips every amount written by toDecimalString', () => {
    fc.assert(
      fc.property(fc.constantFrom(USD, JPY, KWD), fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (cur, n) => {
        expect(parsed(toDecimalString(minor(n), cur), cur, { decimal: '.', thousands: '' })).toBe(n);
      }),
    );
  });
});

describe('toDecimalString', () => {
  it('writes minor units as plain decimals in the currency scale', () => {
    expect(toDecimalString(minor(-123450), USD)).toBe('-1234.50');
    expect(toDecimalString(minor(5), USD)).toBe('0.05');
    expect(toDecimalString(minor(-5), USD)).toBe('-0.05');
    expect(toDecimalString(minor(0), USD)).toBe('0.00');
    expect(toDecimalString(minor(1234), JPY)).toBe('1234');
    expect(toDecimalString(minor(-7), JPY)).toBe('-7');
    expect(toDecimalString(minor(1234), KWD)).toBe('1.234');
    expect(toDecimalString(minor(1), KWD)).toBe('0.001');
  });
});

describe('minorDigits', () => {
  it('follows ISO 4217: USD and EUR 2, JPY 0, KWD 3', () => {
    expect(minorDigits(USD)).toBe(2);
    expect(minorDigits(EUR)).toBe(2);
    expect(minorDigits(JPY)).toBe(0);
    expect(minorDigits(KWD)).toBe(3);
  });
});

describe('splitProportionally', () => {
  const totals = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
  const weights = fc.array(fc.oneof(fc.nat(1000), fc.maxSafeNat()), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0));
  // Large weights whose float sum would round are what once broke the split; look at plenty of them.
  const runs = { numRuns: 1000 };

  it('splits $100 in three as 33.34, 33.33, 33.33 (largest remainder, ties to the earlier part)', () => {
    expect(splitProportionally(minor(10000), [1, 1, 1])).toEqual([3334, 3333, 3333]);
    expect(splitProportionally(minor(-10000), [1, 1, 1])).toEqual([-3334, -3333, -3333]);
    expect(splitProportionally(minor(5), [0, 1, 0])).toEqual([0, 5, 0]);
  });

  it('adds up exactly even when the weights sum past 2^53 (pinned counterexample)', () => {
    const parts = splitProportionally(minor(-8708446492499954), [5653016641679228, 4377426173632461, 663144844330761]);
    expect(parts.reduce((a, b) => a + BigInt(b), 0n)).toBe(-8708446492499954n);
  });

  it('gives a plain 0, never −0, to a zero-weight part of a negative total', () => {
    const parts = splitProportionally(minor(-100), [0, 1]);
    expect(Object.is(parts[0], 0)).toBe(true);
  });

  it('parts add up exactly to the total', () => {
    fc.assert(
      fc.property(totals, weights, (total, w) => {
        const parts = splitProportionally(minor(total), w);
        expect(parts).toHaveLength(w.length);
        expect(parts.reduce((a, b) => a + BigInt(b), 0n)).toBe(BigInt(total));
        for (const p of parts) expect(Number.isSafeInteger(p)).toBe(true);
      }),
      runs,
    );
  });

  it('each part lies within one minor unit of its exact proportional share', () => {
    fc.assert(
      fc.property(totals, weights, (total, w) => {
        const parts = splitProportionally(minor(total), w);
        const wsum = w.reduce((a, b) => a + BigInt(b), 0n);
        parts.forEach((p, i) => {
          // |p − total·w/wsum| < 1  ⇔  |p·wsum − total·w| < wsum, all in exact integers.
          const diff = BigInt(p) * wsum - BigInt(total) * BigInt(w[i] ?? 0);
          expect(diff < 0n ? -diff : diff).toBeLessThan(wsum);
        });
      }),
      runs,
    );
  });

  it('is deterministic: the same input gives the same parts', () => {
    fc.assert(
      fc.property(totals, weights, (total, w) => {
        expect(splitProportionally(minor(total), w)).toEqual(splitProportionally(minor(total), [...w]));
      }),
      runs,
    );
  });

  it('refuses no parts, all-zero, negative or fractional weights', () => {
    expect(() => splitProportionally(minor(100), [])).toThrow(RangeError);
    expect(() => splitProportionally(minor(100), [0, 0])).toThrow(RangeError);
    expect(() => splitProportionally(minor(100), [1, -1])).toThrow(RangeError);
    expect(() => splitProportionally(minor(100), [0.5, 1])).toThrow(RangeError);
  });
});

describe('arithmetic', () => {
  it('adds and subtracts in one currency', () => {
    expect(add(money(150, USD), money(-50, USD))).toEqual({ amount: 100, currency: USD });
    expect(subtract(money(150, USD), money(200, USD))).toEqual({ amount: -50, currency: USD });
  });

  it('refuses to add or subtract across currencies', () => {
    expect(() => add(money(1, USD), money(1, EUR))).toThrow(/currency mismatch: USD and EUR/);
    expect(() => subtract(money(1, JPY), money(1, USD))).toThrow(RangeError);
  });

  it('refuses a sum that leaves the safe integer range', () => {
    expect(() => add(money(Number.MAX_SAFE_INTEGER, USD), money(1, USD))).toThrow(RangeError);
  });

  it('minor() accepts whole numbers only', () => {
    expect(minor(-42)).toBe(-42);
    expect(() => minor(1.5)).toThrow(RangeError);
    expect(() => minor(0.1 + 0.2)).toThrow(RangeError);
    expect(() => minor(Number.NaN)).toThrow(RangeError);
    expect(() => minor(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => minor(2 ** 53)).toThrow(RangeError);
  });
});

describe('currency codes', () => {
  it('accepts only ISO 4217 codes the platform knows, not any three capitals', async () => {
    const { isCurrencyCode, currencySchema } = await import('../../src/domain/money');
    expect(['USD', 'EUR', 'JPY', 'KWD'].every(isCurrencyCode)).toBe(true);
    expect(isCurrencyCode('XYZ')).toBe(false);
    expect(isCurrencyCode('usd')).toBe(false);
    expect(currencySchema.safeParse('QQQ').success).toBe(false);
  });
});
