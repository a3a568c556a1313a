/**
 * Child process of the relay benchmark: the reference server, `@y/websocket-server@0.1.1`, run as it
 * ships (its own `src/server.js`, its own nested `ws`, no persistence: YPERSISTENCE unset unless the
 * orchestrator passes REFERENCE_YPERSISTENCE, a folder for y-leveldb), with HOST
 * and PORT from the environment. It prints "running at …" once listening. This wrapper only adds what
 * the benchmark needs to never leave it behind: exit when the IPC channel to the orchestrator drops.
 * Its `package.json` exports do not list `src/server.js`, so it is imported by file path.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startPauseLog } from './pause-log';

if (process.send === undefined) throw new Error('reference-relay-entry: run it forked');
const writePauseLog = startPauseLog('reference');
const exit = () => {
  writePauseLog?.();
  process.exit(0);
};
process.on('disconnect', exit);
process.on('SIGTERM', exit);
// Persistence only when the orchestrator asks for it (BENCH_RELAY_REFERENCE_PERSISTENCE), never inherited.
if (process.env.REFERENCE_YPERSISTENCE === undefined) delete process.env.YPERSISTENCE;
else process.env.YPERSISTENCE = process.env.REFERENCE_YPERSISTENCE;

const pkg = createRequire(import.meta.url).resolve('@y/websocket-server/package.json');
await import(pathToFileURL(join(dirname(pkg), 'src', 'server.js')).href);
