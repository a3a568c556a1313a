import { parseStrategy, type Strategy } from '../../src/domain/strategy';

/** A strategy from JSON, or the test fails with the schema's own messages. */
export function strategyOf(json: unknown): Strategy {
  const r = parseStrategy(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.strategy;
}
