/**
 * Optional instrumentation of a relay child in the benchmark, to tell where a round's latency tail came
 * from. With BENCH_RELAY_PAUSE_LOG=<folder>, each relay process (ours and the reference) writes
 * `<label>-<pid>.json` there when it exits: every garbage collection V8 reported (kind, start ms,
 * duration ms) and its event loop's delay percentiles (ms). With BENCH_RELAY_HEAP_SAMPLE=1 as well, it
 * also writes `<label>-<pid>.heapprofile`: V8's sampling heap profile of every allocation, including
 * objects the collector has freed since (what makes the garbage), for a tool that reads .heapprofile;
 * with BENCH_RELAY_HEAP_SAMPLE=survivors, only of the objects that outlived a young-generation
 * collection (what makes the collections long).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

const GC_KINDS = new Map<number, string>([
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weak-callbacks'],
]);

const ms = (ns: number) => Math.round(ns / 1e4) / 100;

/** Starts recording when BENCH_RELAY_PAUSE_LOG is set; returns what writes the file (call it just before exiting). */
export function startPauseLog(label: string): (() => void) | undefined {
  const dir = process.env.BENCH_RELAY_PAUSE_LOG;
  if (dir === undefined || dir === '') return undefined;
  const gcs: [string, number, number][] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[])
      gcs.push([GC_KINDS.get(e.detail?.kind ?? 0) ?? 'other', Math.round(e.startTime * 100) / 100, Math.round(e.duration * 1000) / 1000]);
  });
  observer.observe({ entryTypes: ['gc'] });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let session: Session | undefined;
  const sample = process.env.BENCH_RELAY_HEAP_SAMPLE;
  if (sample === '1' || sample === 'survivors') {
    session = new Session();
    session.connect();
    session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: sample === '1' });
  }
  return () => {
    delay.disable();
    observer.disconnect();
    if (session !== undefined) {
      // The inspector answers a session's post synchronously.
      session.post('HeapProfiler.stopSampling', (err, r) => {
        if (err === null) writeFileSync(join(dir, `${label}-${process.pid}.heapprofile`), JSON.stringify(r.profile));
      });
      session.disconnect();
    }
    const eventLoopDelay = { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), mean: ms(delay.mean) };
    writeFileSync(join(dir, `${label}-${process.pid}.json`), JSON.stringify({ label, eventLoopDelay, gcs }));
  };
}
