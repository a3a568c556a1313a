/**
 * A ULID from a time and a counter, for ids the engine makes itself (the simulation's facts) and for
 * tests: 10 Crockford base-32 characters of milliseconds, then 16 of the counter. Deterministic, so
 * the same run makes the same ids; devices use a random ULID generator instead.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(value: number, length: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < length; i++) {
    out = (CROCKFORD[v % 32] ?? '0') + out;
    v = Math.floor(v / 32);
  }
  return out;
}

export function ulidOf(ms: number, counter: number): string {
  return base32(ms, 10) + base32(counter, 16);
}
