/**
 * A relay in a process of its own, so a test can SIGKILL it: a crash, not a shutdown (no rooms
 * unloaded, nothing compacted, the socket just gone). Arguments: data folder, port (0 for any), the
 * relay's clock as an ISO instant. Prints `{"port":n}` on one line once it listens.
 */
import { startServer } from '../../sync-server/server';

const [dataDir, port, now] = process.argv.slice(2);
if (dataDir === undefined || port === undefined || now === undefined) throw new Error('usage: relay-process-main <dataDir> <port> <nowIso>');
const nowMs = Date.parse(now);
const server = await startServer({ port: Number(port), host: '127.0.0.1', dataDir, relay: { now: () => nowMs } });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
