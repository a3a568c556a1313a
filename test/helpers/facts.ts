import type { Fact, FactOf, FactType } from '../../src/domain/facts';
import { ulidOf } from '../../src/domain/ulid';

/** A valid, deterministic ULID for tests: the time part from `ms`, the rest from `n`. */
export const testUlid = (ms: number, n = 0): string => ulidOf(ms, n);

let counter = 0;

type Extra<T extends FactType> = Omit<FactOf<T>, 'v' | 'id' | 'by' | 'at' | 'deviceId' | 'portfolioId' | 'accountNumber' | 'type'>;

/** Builds a fact of a type with the common fields filled in; override any of them. */
export function fact<T extends FactType>(
  type: T,
  fields: Extra<T> & Partial<Pick<Fact, 'id' | 'by' | 'at' | 'deviceId' | 'portfolioId' | 'accountNumber'>>,
): FactOf<T> {
  const at = fields.at ?? '2026-11-20T15:00:00.000Z';
  return {
    v: 1,
    id: fields.id ?? testUlid(Date.parse(at), ++counter),
    by: 'u-ana',
    deviceId: 'dev-ana-tablet',
    portfolioId: 'acme',
    accountNumber: 'C1',
    ...fields,
    at,
    type,
  } as unknown as FactOf<T>;
}
