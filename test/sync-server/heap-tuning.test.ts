import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { applyServerHeapTuning, SERVER_HEAP_GROWING_PERCENT } from '../../sync-server/heap-tuning';

describe('applyServerHeapTuning', () => {
  it('sets the heap growing factor and turns allocation-site pretenuring off, at runtime', () => {
    expect(applyServerHeapTuning([])).toEqual([`--heap-growing-percent=${SERVER_HEAP_GROWING_PERCENT}`, '--no-allocation-site-pretenuring']);
    // The process keeps working (GC heuristics, not limits).
    expect(getHeapStatistics().heap_size_limit).toBeGreaterThan(0);
  });

  it("leaves an operator's own settings on the node command line alone, each on its own", () => {
    expect(applyServerHeapTuning(['--heap-growing-percent=80'])).toEqual(['--no-allocation-site-pretenuring']);
    expect(applyServerHeapTuning(['--heap_growing_percent=20', '--allocation-site-pretenuring'])).toEqual([]);
    expect(applyServerHeapTuning(['--no-allocation_site_pretenuring'])).toEqual([`--heap-growing-percent=${SERVER_HEAP_GROWING_PERCENT}`]);
    // A flag whose name only starts the same is not one of them.
    expect(applyServerHeapTuning(['--heap-growing-percentage=1', '--allocation-site-pretenuring-extra'])).toHaveLength(2);
  });
});
