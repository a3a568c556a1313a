/**
 * The relay's Prometheus metrics. One registry per server instance (never prom-client's global one), so
 * two servers in one process, as in the tests, count separately. Names are listed in docs/sync.md.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Why a connection or a message was refused; the `reason` label of `dunwell_relay_refused_total`. */
export const REFUSAL_REASONS = [
  'unauthorized',
  'forbidden',
  'unknown_room',
  'unsupported_version',
  'text_frame',
  'malformed',
  'oversized',
  'rate_limited',
  'read_only',
  'slow_consumer',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export class RelayMetrics {
  readonly registry: Registry;
  readonly connections: Gauge;
  readonly connectionsAccepted: Counter;
  readonly roomsLoaded: Gauge;
  readonly roomLoads: Counter;
  readonly roomUnloads: Counter;
  readonly updatesIn: Counter;
  readonly updatesOut: Counter;
  readonly bytesIn: Counter;
  readonly bytesOut: Counter;
  readonly refused: Counter<'reason'>;
  readonly compactions: Counter;
  readonly factsProjected: Counter;
  readonly factsQuarantined: Counter<'reason'>;
  readonly projectionFailures: Counter;
  readonly persistSeconds: Histogram;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registry = new Registry();
    this.registry = registry;
    // Process metrics (RSS, event-loop lag, heap) belong on the same page: the relay's budgets are in them.
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
    const registers = [registry];
    this.connections = new Gauge({ name: 'dunwell_relay_connections', help: 'Open websocket connections (authorized, in a room).', registers });
    this.connectionsAccepted = new Counter({ name: 'dunwell_relay_connections_total', help: 'Connections accepted into a room since start.', registers });
    this.roomsLoaded = new Gauge({ name: 'dunwell_relay_rooms_loaded', help: 'Rooms held in memory.', registers });
    this.roomLoads = new Counter({ name: 'dunwell_relay_room_loads_total', help: 'Rooms loaded from storage.', registers });
    this.roomUnloads = new Counter({ name: 'dunwell_relay_room_unloads_total', help: 'Idle rooms unloaded.', registers });
    this.updatesIn = new Counter({ name: 'dunwell_relay_updates_in_total', help: 'Document updates received from clients and accepted (sync step 2 and update messages).', registers });
    this.updatesOut = new Counter({ name: 'dunwell_relay_updates_out_total', help: 'Document updates sent to clients by fan-out.', registers });
    this.bytesIn = new Counter({ name: 'dunwell_relay_bytes_in_total', help: 'Bytes of websocket messages received.', registers });
    this.bytesOut = new Counter({ name: 'dunwell_relay_bytes_out_total', help: 'Bytes of websocket messages sent.', registers });
    this.refused = new Counter({ name: 'dunwell_relay_refused_total', help: 'Connections and messages refused, by reason.', labelNames: ['reason'], registers });
    for (const reason of REFUSAL_REASONS) this.refused.inc({ reason }, 0);
    this.compactions = new Counter({ name: 'dunwell_relay_compactions_total', help: 'Room update logs compacted into one update.', registers });
    this.factsProjected = new Counter({ name: 'dunwell_relay_facts_projected_total', help: 'Facts newly inserted into the fact store by projection.', registers });
    this.factsQuarantined = new Counter({ name: 'dunwell_relay_facts_quarantined_total', help: 'Fact map entries that failed validation, by reason.', labelNames: ['reason'], registers });
    this.projectionFailures = new Counter({ name: 'dunwell_relay_projection_failures_total', help: 'Projections that could not be written (redone when the room next loads).', registers });
    this.persistSeconds = new Histogram({
      name: 'dunwell_relay_persist_seconds',
      help: 'Time to persist one accepted update (the fan-out waits for it).',
      buckets: [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
  }

  refuse(reason: RefusalReason): void {
    this.refused.inc({ reason });
  }
}
