/**
 * A relay that a test can kill and bring back: one data folder and one port for its whole life. The
 * first server listens on port 0; every restart closes it and starts a new server on the port it got
 * and on the same SQLite files, so stock providers reconnect to it on their own, as devices would after
 * a server restart. Tokens stay valid across restarts (the signing secret is in the data folder).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../src/protocol/token';
import type { RelayOptions } from '../../sync-server/relay/relay';
import { startTestServer, type TestServer } from './server';

export class RelayHost {
  readonly dataDir: string;
  readonly port: number;
  /** How many times the relay was restarted. */
  restarts = 0;
  private current: TestServer;
  private readonly relayOptions: RelayOptions;
  private users = 0;
  private compactedBefore = 0;

  private constructor(server: TestServer, dataDir: string, relayOptions: RelayOptions) {
    this.current = server;
    this.dataDir = dataDir;
    this.port = server.port;
    this.relayOptions = relayOptions;
  }

  static async start(relayOptions: RelayOptions = {}): Promise<RelayHost> {
    const dataDir = mkdtempSync(join(tmpdir(), 'dunwell-relay-host-'));
    return new RelayHost(await startTestServer({ dataDir, relay: relayOptions }), dataDir, relayOptions);
  }

  /** The running server (a new object after each restart). */
  get server(): TestServer {
    return this.current;
  }

  get url(): string {
    return this.current.url;
  }

  /** Log compactions over every server this host ran (each server counts from zero). */
  async compactions(): Promise<number> {
    return this.compactedBefore + ((await this.current.relay.metrics.compactions.get()).values[0]?.value ?? 0);
  }

  /** Closes the server (its connections see 1001) and starts a new one on the same port and data folder. */
  async restart(): Promise<void> {
    await this.current.stop();
    // Read after closing: unloading the rooms at shutdown compacts them, and the counters outlive the server.
    this.compactedBefore = await this.compactions();
    this.current = await startTestServer({ dataDir: this.dataDir, port: this.port, relay: this.relayOptions });
    this.restarts++;
  }

  /**
   * A new user of `role` working `portfolios`, and a token for them. Ids are counted by the host, not
   * by the server object, so they stay unique across restarts.
   */
  async tokenFor(role: Role, portfolios: readonly string[]): Promise<string> {
    const id = `h-${role}-${++this.users}`;
    await this.current.addUser({ id, role, portfolios });
    const user = this.current.users.user(id);
    if (user === undefined) throw new Error(`user ${id} was not stored`);
    return (await this.current.auth.sessionFor(user)).token;
  }

  async stop(): Promise<void> {
    await this.current.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
