import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { applyServerHeapTuning, missingServerNodeOptions, SERVER_HEAP_GROWING_PERCENT, SERVER_NODE_OPTIONS } from '../../sync-server/heap-tuning';

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

describe('missingServerNodeOptions', () => {
  it('names the node options the server expects and was not started with', () => {
    expect(SERVER_NODE_OPTIONS).toContain('--v8-pool-size=0');
    expect(missingServerNodeOptions([], '')).toEqual([...SERVER_NODE_OPTIONS]);
    expect(missingServerNodeOptions(['--import', 'tsx'], '--max-old-space-size=512')).toEqual([...SERVER_NODE_OPTIONS]);
    // A name that only starts the same is not the option.
    expect(missingServerNodeOptions(['--v8-pool-size-extra=1'], '')).toEqual([...SERVER_NODE_OPTIONS]);
  });

  it('counts the command line, NODE_OPTIONS, and an operator’s own value', () => {
    expect(missingServerNodeOptions(['--v8-pool-size=0'], '')).toEqual([]);
    expect(missingServerNodeOptions([], '--inspect --v8-pool-size=0')).toEqual([]);
    expect(missingServerNodeOptions(['--v8_pool_size=3'], '')).toEqual([]);
  });

  it('is what the package gives node: the bin’s shebang and `npm start`', () => {
    const root = join(import.meta.dirname, '..', '..');
    const shebang = readFileSync(join(root, 'bin', 'dunwell.mjs'), 'utf8').split('\n')[0] ?? '';
    expect(shebang).toMatch(/^#!\/usr\/bin\/env -S node /);
    expect(missingServerNodeOptions(shebang.split(/\s+/).slice(3), '')).toEqual([]);
    const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? '';
    const node = /\bnode ((?:--\S+ )*)bin\/dunwell\.mjs serve\b/.exec(start);
    expect(node).not.toBeNull();
    expect(missingServerNodeOptions((node?.[1] ?? '').trim().split(/\s+/), '')).toEqual([]);
  });
});
