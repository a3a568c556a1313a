import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { applyServerHeapTuning, SERVER_HEAP_GROWING_PERCENT } from '../../sync-server/heap-tuning';

describe('applyServerHeapTuning', () => {
  it('sets the heap growing factor at runtime', () => {
    expect(applyServerHeapTuning([])).toBe(`--heap-growing-percent=${SERVER_HEAP_GROWING_PERCENT}`);
    // The process keeps working (a GC heuristic, not a limit).
    expect(getHeapStatistics().heap_size_limit).toBeGreaterThan(0);
  });

  it("leaves an operator's own setting on the node command line alone", () => {
    expect(applyServerHeapTuning(['--heap-growing-percent=80'])).toBeUndefined();
    expect(applyServerHeapTuning(['--heap_growing_percent=20'])).toBeUndefined();
  });
});
