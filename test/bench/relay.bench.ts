/**
 * Budgets of the relay (issue 4), with the relay and the load generator in separate processes:
 * - at 1,000 connections / 200 rooms (5 per room) / ~1,000 updates per second, p99 fan-out latency and
 *   throughput at least as good as the reference server `@y/websocket-server@0.1.1`, run side by side
 *   (one after the other, same load, fresh processes each); the ratios ours / reference are their own
 *   lines. Our relay's RSS < 250 MB there;
 * - one new fact reaches a teammate in < 100 ms p99 on loopback (two stock `WebsocketProvider`s), on an
 *   idle relay and under the load above.
 *
 * A round: start the server child (ours: startServer with a temp DATA_DIR, real users, teams, tokens
 * and portfolios; the reference: its own server.js, no persistence), run the teammate probe on the idle
 * server (first round of each server), fork the load generator, connect everything, warm up, measure
 * (with the teammate probe running through the window), drain, tear down. Rounds alternate
 * ours, reference, reference, ours, and each server's rounds are merged (samples pooled, counts summed).
 * The machine is shared and small, so the figures are noisy: every line carries its conditions (load,
 * achieved rates, per-round p50/p99, CPU of the server and of the generator, how long the server's event
 * loop waited for a CPU, load average) to judge them by; a round whose server waited for a CPU much of
 * the window measured the machine, not the relay. Both servers run under `node --import tsx`, the way
 * `dunwell serve` runs ours, so idle RSS compares alike.
 *
 * Knobs (environment): BENCH_RELAY_MEASURE_S (10 per round), BENCH_RELAY_WARMUP_S (4), BENCH_RELAY_RATE
 * (1000), BENCH_RELAY_ORDER ("ours,reference,reference,ours"), BENCH_RELAY_DATA_ROOT (where our relay's
 * DATA_DIR goes; default the OS temp folder, /dev/shm takes the disk out), BENCH_RELAY_NODE_FLAGS (node
 * flags for our relay's process, after the ones it ships with, SERVER_NODE_OPTIONS, so they can override
 * them: e.g. "--max-semi-space-size=4" to try a smaller young generation), BENCH_RELAY_REFERENCE_NODE_FLAGS
 * (the same for the reference's process, which by default runs with node's defaults), BENCH_RELAY_CPU_PROF (a
 * folder: our relay runs with --cpu-prof and leaves one profile per round there), BENCH_RELAY_PAUSE_LOG
 * and BENCH_RELAY_HEAP_SAMPLE (both servers record their GC pauses, event-loop delay and allocations:
 * relay/pause-log.ts), BENCH_RELAY_REFERENCE_PERSISTENCE=1 (the reference stores its docs with its own
 * persistence option, YPERSISTENCE / y-leveldb, in a temp folder per round; by default it persists nothing).
 */
import type { ChildProcess } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { SERVER_NODE_OPTIONS } from '../../sync-server/heap-tuning';
import { freePort } from '../helpers/free-port';
import { forkTs, nextMessage, readProc, removeTempDir, RssSampler, stopChild, tempDir, waitForOutput, type ProcSample } from './relay/children';
import { distribution, userPlan, type ConnectionSpec, type Distribution, type GeneratorCommand, type GeneratorReport, type LoadResult, type LoadShape, type OurRelayReady, type ServerTarget } from './relay/plan';
import { teammateProbe, type ProbeResult } from './relay/teammate-probe';
import { report, type Figure } from './measure';

type Kind = ServerTarget['kind'];

const envNumber = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

const shape: LoadShape = {
  rooms: 200,
  perRoom: 5,
  updatesPerSecond: envNumber('BENCH_RELAY_RATE', 1000),
  warmupMs: envNumber('BENCH_RELAY_WARMUP_S', 4) * 1000,
  measureMs: envNumber('BENCH_RELAY_MEASURE_S', 10) * 1000,
  drainMs: 3000,
};
const plan = userPlan(shape);
const PROBE_INTERVAL_MS = 20;
const PROBE_IDLE_COUNT = 250;
const RSS_BUDGET_MB = 250;
// Rounds in A-B-B-A order: the load of a shared machine drifts, and this order cancels a linear drift.
const order = (process.env.BENCH_RELAY_ORDER ?? 'ours,reference,reference,ours').split(',').filter((k): k is Kind => k === 'ours' || k === 'reference');
const cpuProfDir = process.env.BENCH_RELAY_CPU_PROF;
const flagsOf = (value: string | undefined) => (value ?? '').split(' ').filter(Boolean);
// Ours starts with the node options `dunwell serve` ships with (its bin's shebang, `npm start`), then the knob's.
const ourNodeFlags = [...SERVER_NODE_OPTIONS, ...flagsOf(process.env.BENCH_RELAY_NODE_FLAGS)];
const referenceNodeFlags = flagsOf(process.env.BENCH_RELAY_REFERENCE_NODE_FLAGS);
/** Where our relay's DATA_DIR goes: the OS temp folder (a disk) unless told otherwise (/dev/shm: no disk). */
const dataRoot = process.env.BENCH_RELAY_DATA_ROOT ?? tmpdir();
/**
 * The reference persists nothing by default; with BENCH_RELAY_REFERENCE_PERSISTENCE=1 it runs with its
 * own persistence option (YPERSISTENCE: y-leveldb, which stores each update after the fan-out, not before).
 */
const referencePersists = process.env.BENCH_RELAY_REFERENCE_PERSISTENCE === '1';
const here = import.meta.dirname;

/** One server, one round: fresh server process, fresh load generator. */
interface Round {
  readonly kind: Kind;
  readonly load: LoadResult;
  readonly probeIdle: ProbeResult | undefined;
  readonly probeLoaded: ProbeResult;
  readonly rssIdleMb: number;
  readonly rssConnectedMb: number;
  readonly rssPeakMb: number;
  /** Server CPU over the window, and the window as the server's samples saw it. */
  readonly serverCpuMs: number;
  readonly serverWindowMs: number;
  /** Time the server's event loop was runnable but waiting for a CPU, over the window. */
  readonly serverRunQueueWaitMs: number;
  readonly serverLogProblems: number;
  readonly loadavg: readonly number[];
}

interface StartedServer {
  readonly child: ChildProcess;
  readonly target: ServerTarget;
  readonly connections: ConnectionSpec[];
  readonly probe: { room: string; portfolioId: string; tokens?: readonly [string, string] };
  readonly dataDir?: string;
  /** Warnings and errors the server logged (ours: pino lines of level ≥ 40). */
  problems(): number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

async function startOurs(): Promise<StartedServer> {
  const dataDir = tempDir('dunwell-bench-relay-', dataRoot);
  const child = forkTs(resolve(here, 'relay/our-relay-entry.ts'), {
    env: { DATA_DIR: dataDir, BENCH_USER_PLAN: JSON.stringify(plan), LOG_LEVEL: 'info' },
    execArgv: [...ourNodeFlags, ...(cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfDir])],
  });
  let problems = 0;
  // Always read stdout: a full pipe would block the server's logger, and so the server.
  child.stdout?.on('data', (b: Buffer) => {
    for (const line of b.toString().split('\n')) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level !== undefined && Number(level) >= 40) {
        problems++;
        if (problems <= 5) process.stderr.write(`relay (ours): ${line.slice(0, 300)}\n`);
      }
    }
  });
  const ready = await nextMessage(child, (m) => ((m as { type?: string }).type === 'ready' ? (m as OurRelayReady) : undefined), 60_000, 'our relay');
  const connections: ConnectionSpec[] = [];
  for (let r = 0; r < shape.rooms; r++) {
    const team = Math.floor(r / plan.roomsPerTeam);
    for (let m = 0; m < shape.perRoom; m++) {
      const token = ready.teamTokens[team]?.[m];
      const userId = plan.teams[team]?.[m];
      if (token === undefined || userId === undefined) throw new Error(`no token for team ${team} member ${m}`);
      connections.push({ room: `${plan.portfolios[r] ?? ''}.facts.${ready.period}`, userId, token });
    }
  }
  return {
    child,
    dataDir,
    target: { kind: 'ours', baseUrl: `ws://127.0.0.1:${ready.port}/sync` },
    connections,
    probe: { room: `${plan.probe.portfolio}.facts.${ready.period}`, portfolioId: plan.probe.portfolio, tokens: ready.probeTokens },
    problems: () => problems,
  };
}

async function startReference(): Promise<StartedServer> {
  const port = await freePort();
  // With BENCH_RELAY_REFERENCE_PERSISTENCE=1, a LevelDB folder of its own for each round, removed after it.
  const dataDir = referencePersists ? tempDir('dunwell-bench-reference-', dataRoot) : undefined;
  const child = forkTs(resolve(here, 'relay/reference-relay-entry.ts'), {
    env: { HOST: '127.0.0.1', PORT: String(port), ...(dataDir === undefined ? {} : { REFERENCE_YPERSISTENCE: dataDir }) },
    execArgv: referenceNodeFlags,
  });
  await waitForOutput(child, /running at/, 60_000, 'reference relay');
  child.stdout?.resume();
  // The same room names as ours, so the facts, and so the bytes on the wire, are the same on both servers.
  const period = new Date().toISOString().slice(0, 7);
  const connections: ConnectionSpec[] = [];
  for (let r = 0; r < shape.rooms; r++)
    for (let m = 0; m < shape.perRoom; m++) connections.push({ room: `${plan.portfolios[r] ?? ''}.facts.${period}`, userId: plan.teams[Math.floor(r / plan.roomsPerTeam)]?.[m] ?? `u-${m}` });
  return {
    child,
    target: { kind: 'reference', baseUrl: `ws://127.0.0.1:${port}` },
    connections,
    ...(dataDir === undefined ? {} : { dataDir }),
    probe: { room: `${plan.probe.portfolio}.facts.${period}`, portfolioId: plan.probe.portfolio },
    problems: () => 0,
  };
}

async function runRound(kind: Kind, withIdleProbe: boolean): Promise<Round> {
  const server = kind === 'ours' ? await startOurs() : await startReference();
  let generator: ChildProcess | undefined;
  let rss: RssSampler | undefined;
  try {
    const pid = server.child.pid;
    if (pid === undefined) throw new Error(`${kind}: no pid`);
    rss = new RssSampler(pid);
    const rssIdleMb = mb(readProc(pid)?.rssBytes ?? 0);
    const probeBase = { baseUrl: server.target.baseUrl, room: server.probe.room, portfolioId: server.probe.portfolioId, intervalMs: PROBE_INTERVAL_MS, ...(server.probe.tokens === undefined ? {} : { tokens: server.probe.tokens }) };
    const probeIdle = withIdleProbe ? await teammateProbe({ ...probeBase, count: PROBE_IDLE_COUNT }) : undefined;

    const gen = forkTs(resolve(here, 'relay/load-generator.ts'));
    generator = gen;
    const command = (c: GeneratorCommand) => gen.send(c);
    // A failure report must reject the round, not throw inside an event handler.
    const failed = new Promise<never>((_, reject) =>
      gen.on('message', (m: unknown) => {
        const r = m as GeneratorReport;
        if (r.type === 'failed') reject(new Error(`load generator (${kind}): ${r.error}`));
      }),
    );
    failed.catch(() => undefined);
    command({ type: 'connect', target: server.target, connections: server.connections, shape });
    await Promise.race([nextMessage(gen, (m) => (m as GeneratorReport).type === 'connected' || undefined, 120_000, `${kind}: connect`), failed]);
    const rssConnectedMb = mb(readProc(pid)?.rssBytes ?? 0);

    let cpuStart: ProcSample | undefined;
    let cpuEnd: ProcSample | undefined;
    let probeLoaded: Promise<ProbeResult> | undefined;
    gen.on('message', (m: unknown) => {
      const r = m as GeneratorReport;
      if (r.type !== 'window') return;
      if (r.phase === 'start') {
        cpuStart = readProc(pid);
        // The teammate probe runs through the window, on its own room of the loaded server.
        probeLoaded = teammateProbe({ ...probeBase, count: Number.MAX_SAFE_INTEGER, durationMs: shape.measureMs - 2000 });
        probeLoaded.catch(() => undefined);
      } else {
        cpuEnd = readProc(pid);
      }
    });
    const windowLoadavg = loadavg().map((x) => Math.round(x * 100) / 100);
    command({ type: 'run' });
    const load = await Promise.race([
      nextMessage(gen, (m) => ((m as GeneratorReport).type === 'result' ? (m as Extract<GeneratorReport, { type: 'result' }>).result : undefined), shape.warmupMs + shape.measureMs + shape.drainMs + 60_000, `${kind}: run`),
      failed,
    ]);
    if (probeLoaded === undefined || cpuStart === undefined || cpuEnd === undefined) throw new Error(`${kind}: the window was not reported`);
    const loaded = await probeLoaded;
    command({ type: 'close' });
    await stopChild(gen);
    rss.stop();
    return {
      kind,
      load,
      probeIdle,
      probeLoaded: loaded,
      rssIdleMb,
      rssConnectedMb,
      rssPeakMb: mb(rss.peakBytes),
      serverCpuMs: (cpuEnd.cpuSeconds - cpuStart.cpuSeconds) * 1000,
      serverWindowMs: cpuEnd.at - cpuStart.at,
      serverRunQueueWaitMs: cpuEnd.runQueueWaitMs - cpuStart.runQueueWaitMs,
      serverLogProblems: server.problems(),
      loadavg: windowLoadavg,
    };
  } finally {
    rss?.stop();
    if (generator !== undefined) await stopChild(generator);
    await stopChild(server.child, 10_000);
    if (server.dataDir !== undefined) removeTempDir(server.dataDir);
  }
}

/** A server's rounds taken together: samples merged, counts and times summed. */
interface Summary {
  readonly kind: Kind;
  readonly rounds: readonly Round[];
  readonly fanout: Distribution;
  readonly delivery: Distribution;
  readonly ack: Distribution | undefined;
  readonly sent: number;
  readonly sendRate: number;
  readonly fanoutsPerSecond: number;
  readonly deliveriesPerSecond: number;
  readonly rssPeakMb: number;
  readonly serverCpuPercent: number;
  readonly serverCpuUsPerUpdate: number;
  readonly probeIdle: Distribution & { sent: number; errors: string[] };
  readonly probeLoaded: Distribution & { sent: number; errors: string[] };
}

function summarize(kind: Kind, rounds: readonly Round[]): Summary {
  const all = <T>(f: (r: Round) => readonly T[] | undefined) => rounds.flatMap((r) => f(r) ?? []);
  const sum = (f: (r: Round) => number) => rounds.reduce((a, r) => a + f(r), 0);
  const windowMs = sum((r) => r.load.windowMs);
  const acks = all((r) => r.load.ackMs);
  const probe = (f: (r: Round) => ProbeResult | undefined) => ({
    ...distribution(all((r) => f(r)?.latencyMs)),
    sent: sum((r) => f(r)?.sent ?? 0),
    errors: all((r) => {
      const e = f(r)?.error;
      return e === undefined ? [] : [e];
    }),
  });
  return {
    kind,
    rounds,
    fanout: distribution(all((r) => r.load.fanoutMs)),
    delivery: distribution(all((r) => r.load.deliveryMs)),
    ack: kind === 'ours' ? distribution(acks) : undefined,
    sent: sum((r) => r.load.sent),
    sendRate: (sum((r) => r.load.sent) * 1000) / windowMs,
    fanoutsPerSecond: (sum((r) => r.load.fanoutsInWindow) * 1000) / windowMs,
    deliveriesPerSecond: (sum((r) => r.load.deliveriesInWindow) * 1000) / windowMs,
    rssPeakMb: Math.max(...rounds.map((r) => r.rssPeakMb)),
    serverCpuPercent: (sum((r) => r.serverCpuMs) / sum((r) => r.serverWindowMs)) * 100,
    serverCpuUsPerUpdate: (sum((r) => r.serverCpuMs) * 1000) / sum((r) => r.load.sent),
    probeIdle: probe((r) => r.probeIdle),
    probeLoaded: probe((r) => r.probeLoaded),
  };
}

const conditions = {
  connections: shape.rooms * shape.perRoom,
  rooms: shape.rooms,
  per_room: shape.perRoom,
  target_rate: shape.updatesPerSecond,
  warmup_s: shape.warmupMs / 1000,
  window_s: shape.measureMs / 1000,
  order: order.join(','),
  data_root: dataRoot,
  reference_persistence: referencePersists ? 'y-leveldb (YPERSISTENCE)' : 'none',
  node_flags_ours: ourNodeFlags.join(' '),
  node_flags_reference: referenceNodeFlags.join(' ') || "(node's defaults)",
};

function reportServer(s: Summary): void {
  const label = s.kind === 'ours' ? 'ours' : `reference @y/websocket-server@0.1.1${referencePersists ? ' with YPERSISTENCE (y-leveldb)' : ''}`;
  const closes: Record<string, number> = {};
  for (const r of s.rounds) for (const [code, n] of Object.entries(r.load.closes)) closes[code] = (closes[code] ?? 0) + n;
  const figure: Figure = {
    name: `relay (${label}): fan-out at 1,000 connections / 200 rooms / ~1,000 updates/s`,
    n: s.fanout.count,
    median_ms: s.fanout.p50,
    p99_ms: s.fanout.p99,
    runs: s.rounds.length,
    server: s.kind,
    ...conditions,
    achieved_send_rate: round1(s.sendRate),
    sent: s.sent,
    fanouts_per_s: round1(s.fanoutsPerSecond),
    deliveries_per_s: round1(s.deliveriesPerSecond),
    max_ms: round1(s.fanout.max),
    rounds_p50_ms: s.rounds.map((r) => round3(distribution(r.load.fanoutMs).p50)),
    rounds_p99_ms: s.rounds.map((r) => round1(distribution(r.load.fanoutMs).p99)),
    delivery_p50_ms: round3(s.delivery.p50),
    delivery_p99_ms: round1(s.delivery.p99),
    dropped: s.rounds.reduce((a, r) => a + r.load.dropped, 0),
    errors: s.rounds.reduce((a, r) => a + r.load.errors, 0),
    closes,
    server_log_warnings: s.rounds.reduce((a, r) => a + r.serverLogProblems, 0),
    rss_idle_mb: Math.max(...s.rounds.map((r) => r.rssIdleMb)),
    rss_connected_mb: Math.max(...s.rounds.map((r) => r.rssConnectedMb)),
    rss_peak_mb: s.rssPeakMb,
    server_cpu_pct: round1(s.serverCpuPercent),
    server_cpu_us_per_update: Math.round(s.serverCpuUsPerUpdate),
    // Per round: % of the window the server's event loop was ready to run but had no CPU (other processes).
    server_runq_wait_pct: s.rounds.map((r) => round1((r.serverRunQueueWaitMs / r.serverWindowMs) * 100)),
    generator_cpu_pct: round1((s.rounds.reduce((a, r) => a + r.load.generatorCpuMs, 0) / s.rounds.reduce((a, r) => a + r.load.windowMs, 0)) * 100),
    connect_ms: s.rounds.map((r) => Math.round(r.load.connectMs)),
    loadavg_1m: s.rounds.map((r) => r.loadavg[0] ?? Number.NaN),
  };
  if (s.ack !== undefined) Object.assign(figure, { ack_p50_ms: round3(s.ack.p50), ack_p99_ms: round1(s.ack.p99), acks: s.ack.count });
  if (s.kind === 'ours') figure.budget_rss_mb = RSS_BUDGET_MB;
  report(figure);
  for (const [probe, when] of [
    [s.probeIdle, 'idle relay'],
    [s.probeLoaded, 'under the 1,000-connection load'],
  ] as const) {
    const f: Figure = {
      name: `relay (${label}): one new fact reaches a teammate (2 WebsocketProviders, loopback, ${when})`,
      n: probe.count,
      median_ms: probe.p50,
      p99_ms: probe.p99,
      runs: when === 'idle relay' ? 1 : s.rounds.length,
      server: s.kind,
      sent: probe.sent,
      lost: probe.sent - probe.count,
      ...(probe.errors.length === 0 ? {} : { errors: probe.errors }),
      max_ms: round1(probe.max),
      interval_ms: PROBE_INTERVAL_MS,
    };
    if (s.kind === 'ours') f.budget_ms = 100;
    report(f);
  }
}

function reportRatios(ours: Summary, ref: Summary): void {
  const lines: { what: string; ours: number; reference: number; budget: string; ms: boolean }[] = [
    { what: 'p50 fan-out latency', ours: ours.fanout.p50, reference: ref.fanout.p50, budget: '<= 1', ms: true },
    { what: 'p99 fan-out latency', ours: ours.fanout.p99, reference: ref.fanout.p99, budget: '<= 1', ms: true },
    { what: 'full fan-outs per second', ours: ours.fanoutsPerSecond, reference: ref.fanoutsPerSecond, budget: '>= 1', ms: false },
    { what: 'messages delivered per second', ours: ours.deliveriesPerSecond, reference: ref.deliveriesPerSecond, budget: '>= 1', ms: false },
    { what: 'peak RSS (MB)', ours: ours.rssPeakMb, reference: ref.rssPeakMb, budget: `ours < ${RSS_BUDGET_MB} MB`, ms: false },
    { what: 'server CPU per update (µs)', ours: ours.serverCpuUsPerUpdate, reference: ref.serverCpuUsPerUpdate, budget: 'none (headroom)', ms: false },
  ];
  for (const r of lines)
    report({
      name: `relay ratio ours / reference: ${r.what}`,
      n: ours.fanout.count,
      // A ratio has no time of its own: latency lines carry ours in ms, the others null (NaN).
      median_ms: r.ms ? r.ours : Number.NaN,
      runs: ours.rounds.length,
      ratio: round3(r.ours / r.reference),
      ours: r.ms ? round3(r.ours) : round1(r.ours),
      reference: r.ms ? round3(r.reference) : round1(r.reference),
      budget_ratio: r.budget,
      ...conditions,
    });
}

const rounds: Round[] = [];
for (const kind of order) rounds.push(await runRound(kind, !rounds.some((r) => r.kind === kind)));
const summaries = new Map<Kind, Summary>();
for (const kind of new Set(order)) {
  const s = summarize(
    kind,
    rounds.filter((r) => r.kind === kind),
  );
  summaries.set(kind, s);
  reportServer(s);
}
const ours = summaries.get('ours');
const ref = summaries.get('reference');
if (ours !== undefined && ref !== undefined) reportRatios(ours, ref);
