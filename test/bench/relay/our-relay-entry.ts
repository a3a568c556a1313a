/**
 * Child process of the relay benchmark: our server (startServer, the API and the relay on one port),
 * on 127.0.0.1 port 0 with the DATA_DIR it is given, production relay options. Before it reports ready
 * it creates what the relay insists on: the portfolios, the teams working them, the users, and one
 * token per user. Forked with an IPC channel: it sends `OurRelayReady`, and exits when told, on
 * SIGTERM, or when the channel drops (the orchestrator died), so no server outlives the benchmark.
 */
import { rmSync } from 'node:fs';
import { applyServerHeapTuning } from '../../../sync-server/heap-tuning';
import { startServer, type RunningServer } from '../../../sync-server/server';
import { periodOf } from '../../../src/protocol/rooms';
import type { OurRelayReady, UserPlan } from './plan';
import { startPauseLog } from './pause-log';

const dataDirEnv = process.env.DATA_DIR;
const planJson = process.env.BENCH_USER_PLAN;
if (dataDirEnv === undefined || planJson === undefined || process.send === undefined) throw new Error('our-relay-entry: run it forked, with DATA_DIR and BENCH_USER_PLAN');
const dataDir: string = dataDirEnv;
const plan = JSON.parse(planJson) as UserPlan;

// What `dunwell serve` does first: the benchmark measures the heap sizing that ships.
applyServerHeapTuning();
const writePauseLog = startPauseLog('ours');
const server: RunningServer = await startServer({ port: 0, host: '127.0.0.1', dataDir });
let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    await server.close();
  } finally {
    // The data folder is this run's alone; removing it here covers an orchestrator that was killed outright.
    rmSync(dataDir, { recursive: true, force: true });
    writePauseLog?.();
    // process.exit, not a natural end: --cpu-prof writes its profile on exit, and open handles must not keep us.
    process.exit(code);
  }
}
process.on('SIGTERM', () => void stop(0));
process.on('disconnect', () => void stop(0));
process.on('message', (m: unknown) => {
  if (m === 'stop') void stop(0);
});
// The orchestrator may have gone while the server started: then nobody will ever say stop.
if (!process.connected) await stop(1);
const period = periodOf(new Date().toISOString());
for (const id of [...plan.portfolios, plan.probe.portfolio]) server.store.ensurePortfolio({ id, name: id });

const issue = async (id: string): Promise<string> => {
  const user = server.users.user(id);
  if (user === undefined) throw new Error(`bench user ${id} missing`);
  return (await server.auth.sessionFor(user, plan.tokenSeconds)).token;
};
const teamTokens: string[][] = [];
for (const [t, members] of plan.teams.entries()) {
  const portfolios = plan.portfolios.slice(t * plan.roomsPerTeam, (t + 1) * plan.roomsPerTeam);
  server.users.addTeam({ id: `bench-team-${t}`, name: `Bench team ${t}`, portfolios });
  const tokens: string[] = [];
  for (const id of members) {
    server.users.addUser({ id, name: id, role: 'collector' });
    server.users.addMember(`bench-team-${t}`, id);
    tokens.push(await issue(id));
  }
  teamTokens.push(tokens);
}
server.users.addTeam({ id: 'bench-probe', name: 'Bench probe', portfolios: [plan.probe.portfolio] });
for (const id of plan.probe.users) {
  server.users.addUser({ id, name: id, role: 'collector' });
  server.users.addMember('bench-probe', id);
}
const probeTokens: [string, string] = [await issue(plan.probe.users[0]), await issue(plan.probe.users[1])];

const ready: OurRelayReady = { type: 'ready', port: server.port, period, teamTokens, probeTokens };
process.send(ready);
