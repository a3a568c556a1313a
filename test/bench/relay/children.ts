/**
 * Process plumbing of the relay benchmark: forking its TypeScript children, waiting for their IPC
 * messages, sampling a child's memory and CPU from /proc, and tearing everything down — on success, on
 * a thrown error, and on SIGINT/SIGTERM — so no server or load generator outlives the run and no temp
 * folder stays behind. The children also exit by themselves when their IPC channel drops (the
 * orchestrator was killed outright), which is the one case no handler here can cover.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooked = false;

function killAllNow(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  live.clear();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      killAllNow();
      process.exit(130);
    });
}

export function tempDir(prefix: string, root: string = tmpdir()): string {
  hookExit();
  const dir = mkdtempSync(join(root, prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Forks a TypeScript entry through tsx (as `dunwell serve` runs), stdout piped, stderr inherited, IPC on. */
export function forkTs(entry: string, o: { env?: NodeJS.ProcessEnv; execArgv?: readonly string[] } = {}): ChildProcess {
  hookExit();
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx', ...(o.execArgv ?? [])],
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** The first IPC message `accept` takes; rejects if the child exits first or the time runs out. */
export function nextMessage<T>(child: ChildProcess, accept: (m: unknown) => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: unknown) => {
      const v = accept(m);
      if (v !== undefined) done(undefined, v);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => done(new Error(`${what}: child exited (${code ?? signal ?? '?'})`));
    function done(err: Error | undefined, value?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err !== undefined) reject(err);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Resolves once stdout has printed a line matching `pattern`. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => finish(new Error(`${what}: did not print ${String(pattern)} within ${timeoutMs} ms`)), timeoutMs);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = pattern.exec(out);
      if (m !== null) finish(undefined, m);
    };
    const onExit = (code: number | null) => finish(new Error(`${what}: exited (${code ?? '?'}) before it was ready`));
    function finish(err: Error | undefined, m?: RegExpExecArray): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (err !== undefined) reject(err);
      else if (m !== undefined) resolve(m);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Asks a child to end (SIGTERM), and kills it if it has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

export interface ProcSample {
  readonly rssBytes: number;
  /** User + system CPU seconds so far. */
  readonly cpuSeconds: number;
  /**
   * Milliseconds the main thread (the event loop) waited, runnable, for a CPU (/proc/<pid>/schedstat):
   * how much the rest of the machine delayed this process.
   */
  readonly runQueueWaitMs: number;
  readonly at: number;
}

export function readProc(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at "state"; utime and stime are the 12th and 13th.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    const schedstat = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ');
    return { rssBytes: Number(m?.[1] ?? 0) * 1024, cpuSeconds: ticks / USER_HZ, runQueueWaitMs: Number(schedstat[1] ?? 0) / 1e6, at: performance.now() };
  } catch {
    return undefined;
  }
}

/** Peak RSS of a process, sampled every `everyMs` until stopped. */
export class RssSampler {
  private readonly timer: NodeJS.Timeout;
  private readonly pid: number;
  peakBytes = 0;
  lastBytes = 0;

  constructor(pid: number, everyMs = 100) {
    this.pid = pid;
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    const s = readProc(this.pid);
    if (s === undefined) return;
    this.lastBytes = s.rssBytes;
    this.peakBytes = Math.max(this.peakBytes, s.rssBytes);
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}
