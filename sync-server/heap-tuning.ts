/**
 * V8 heap sizing of the server process (`dunwell serve`, and the relay benchmark's server child, which
 * calls the same function so the benchmark measures what ships). See docs/sync.md, "Memory".
 *
 * Under relay load (1,000 connections, ~1,000 updates/s) the live heap grows slowly (the rooms' docs,
 * ~1.4 KB per fact), but about 1 MB survives each scavenge and is promoted: objects that live for a few
 * hundred milliseconds (Yjs transactions and their maps, socket writes, projection batches) and die soon
 * after in the old generation. With its default heuristics V8 lets the old generation grow to ~2× the
 * live heap before a full collection (its growing factor is up to 4 on a machine with a large heap
 * limit), so the old space went from ~30 to ~88 MB in a 15 s run while the live heap was ~40 MB, and RSS
 * with it (~240 MB, the budget is 250). `--heap-growing-percent` fixes the factor: with 40 the next
 * full collection comes once the heap is 1.4× what survived the last one, which kept the old space at
 * ~52 MB and RSS at ~172–190 MB in the same run, for a few more full collections (each a few ms, mostly
 * concurrent marking).
 *
 * 60, not 40: each full collection costs the fan-out more than its final pause. On 2 cores the
 * concurrent markers fall behind, and V8 then marks on the event loop in steps of up to ~12 ms
 * (`--trace-gc`), and the scavenges that run while marking take longer. A server started straight into
 * the load (a restart with every device reconnecting) ran 10–12 such collections a 10 s window at 40,
 * and 8–10 at 60. p99 fan-out per round: 4.3–10.6 ms (median 7.2, 15 rounds) at 40, 3.5–7.8 ms (median
 * 5.5, 12 rounds) at 60, for a peak RSS of 209–225 MB at 60 (five runs; 210–250 at 40). 2026-11-24,
 * docs/sync.md, "Memory".
 *
 * Allocation-site pretenuring off (`--no-allocation-site-pretenuring`). V8 counts, per allocation site,
 * how many of its objects survive scavenges, and once most do it allocates that site's objects straight
 * in the old generation. A relay started straight into load (a restart with every device reconnecting)
 * sets up a thousand connections and their rooms first: the sites that build long-lived state then are
 * the ones that build each update's short-lived objects later, so they were pretenured, and from then
 * on the old generation filled with garbage twice as fast (`--trace-gc`: ~6 MB/s promoted against ~3
 * MB/s in a server that saw a little traffic first, for the same live heap growth), with a full
 * collection every ~2.5 s instead of ~4.5 s, each marking on the event loop in steps of up to 12 ms. With
 * it off (2026-11-24, `BENCH_RELAY_ORDER=ours,ours,ours`, three runs): 6 GC entries a window instead of
 * 8–12 in every round, cold or warm, and p99 per round 3.7–6.5 ms (median 4.3) against 3.5–7.8 ms
 * (median 5.5) at the same heap setting, for the same peak RSS.
 *
 * Both flags are read by V8 when it uses them (the growing factor at every full collection, pretenuring
 * at every scavenge's feedback), so setting them at startup works, and no re-exec is needed. Neither is
 * a hard limit (unlike --max-old-space-size): a larger live heap still gets the memory it needs. An
 * operator's own setting of either on the node command line wins (they are not flags NODE_OPTIONS
 * accepts).
 */
import { setFlagsFromString } from 'node:v8';

/** Full collection once the heap is this much bigger than what survived the last one (V8's default: dynamic, up to 300). */
export const SERVER_HEAP_GROWING_PERCENT = 60;

/** The V8 flags the server sets at startup, each unless the node command line sets it (either way). */
export const SERVER_V8_FLAGS: readonly { readonly name: string; readonly flag: string }[] = [
  { name: 'heap-growing-percent', flag: `--heap-growing-percent=${SERVER_HEAP_GROWING_PERCENT}` },
  { name: 'allocation-site-pretenuring', flag: '--no-allocation-site-pretenuring' },
];

/**
 * Node options the server needs from its first instruction: Node reads them before any code runs, so
 * they are on the command line, not set here. The package's bin carries them in its shebang (`npx
 * dunwell serve`), and `npm start` on its node command line; `dunwell serve` warns when one is missing.
 *
 * `--v8-pool-size=0`: Node sizes V8's worker pool from the machine's parallelism (one thread less
 * than the CPUs it may use, at least one: `GetActualThreadPoolSize` in node's src/node_platform.cc; on
 * 2 CPUs, 1) instead of a fixed 4. Those threads run the
 * collector's parallel scavenges and concurrent marking, so on the bench's 2-core machine, beside the
 * event loop, the SQLite workers and the load, there were more runnable threads than CPUs whenever the
 * collector ran. Three A/B pairs of `npm run bench -- relay` (2026-11-25), 1 thread against 4: the
 * event loop waited for a CPU 6.6–9.4 % of the window against 9.9–12.3 %, the full collections'
 * pauses summed 8–17 ms a round against 16–36, and p99 fan-out was 4.2, 4.4 and 5.2 ms against 8.2,
 * 5.5 and 7.5 (ratios to the reference 1.07, 1.09, 0.98 against 1.52, 1.16, 2.02). The pool follows
 * the machine: on 8 CPUs it is 7 threads, more than the fixed 4.
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--v8-pool-size=0'];

/**
 * The server's node options this process was started without, looking at the command line and
 * NODE_OPTIONS. An operator's own value of one counts as given (`--v8-pool-size=2` is a choice).
 */
export function missingServerNodeOptions(execArgv: readonly string[] = process.execArgv, nodeOptions: string = process.env.NODE_OPTIONS ?? ''): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/).filter(Boolean)];
  return SERVER_NODE_OPTIONS.filter((option) => {
    const name = option.replace(/^--/, '').split('=')[0] ?? option;
    return !given.some((a) => sets(a, name));
  });
}

/** Whether a node command-line argument sets the V8 flag `name` (`--name`, `--no-name`, `--name=…`, with - or _). */
function sets(arg: string, name: string): boolean {
  const pattern = name.replace(/-/g, '[-_]');
  return new RegExp(`^--(no[-_])?${pattern}(=|$)`).test(arg);
}

/** Applies the server's heap settings to this process, except those the node command line set. Returns the flags it set. */
export function applyServerHeapTuning(execArgv: readonly string[] = process.execArgv): string[] {
  const applied: string[] = [];
  for (const { name, flag } of SERVER_V8_FLAGS) {
    if (execArgv.some((a) => sets(a, name))) continue;
    setFlagsFromString(flag);
    applied.push(flag);
  }
  return applied;
}
