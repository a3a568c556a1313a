import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CalendarDate } from '../../src/domain/calendar';
import { startServer, type RunningServer } from '../../sync-server/server';

/** A real server on 127.0.0.1, port 0, with its own data folder; `stop()` closes it and removes the folder. */
export async function startTestServer(options: { today?: CalendarDate; staticDir?: string; dataDir?: string } = {}): Promise<
  RunningServer & { dataDir: string; stop(): Promise<void> }
> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dunwell-server-'));
  const today = options.today;
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    ...(options.staticDir === undefined ? {} : { staticDir: options.staticDir }),
    ...(today === undefined ? {} : { today: () => today }),
  });
  return Object.assign(server, {
    dataDir,
    async stop() {
      await server.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
