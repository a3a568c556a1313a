/**
 * The y-websocket wire format (y-protocols sync + awareness), decoded defensively.
 *
 * A frame holds exactly one message: `varUint type` then its body. Sync (0) carries `varUint step`
 * (0 = step 1 with a state vector, 1 = step 2 with an update, 2 = update) and one varUint8Array;
 * awareness (1) one varUint8Array; query-awareness (3) nothing. Every read happens inside try/catch and
 * the payload is decoded completely before anything is applied: a state vector with
 * `Y.decodeStateVector`, an update with `checkUpdate` (update-check.ts: every struct and the delete set,
 * as `Y.decodeUpdate` reads them, without building them), an awareness update entry by entry down to
 * the JSON of each state. Applying a fully decoded update does not throw (the
 * relay tests fuzz this), so a garbage frame is refused here and the room's doc is never half-applied.
 * Trailing bytes after the message are refused too: stock clients never send them.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { checkUpdate } from './update-check';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

export type ClientMessage =
  | { readonly kind: 'sync-step1'; readonly stateVector: Uint8Array }
  /** A step 2 or an update: both carry an update the relay applies the same way. */
  | { readonly kind: 'sync-update'; readonly step: typeof SYNC_STEP2 | typeof SYNC_UPDATE; readonly update: Uint8Array; readonly empty: boolean }
  | { readonly kind: 'awareness'; readonly update: Uint8Array; readonly clients: readonly AwarenessEntry[] }
  | { readonly kind: 'query-awareness' };

export interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  /** null: the client left. */
  readonly removed: boolean;
}

export type DecodeResult = { readonly ok: true; readonly message: ClientMessage } | { readonly ok: false; readonly why: string };

export function decodeClientMessage(data: Uint8Array): DecodeResult {
  try {
    const decoder = decoding.createDecoder(data);
    const message = readMessage(decoder);
    if (typeof message === 'string') return { ok: false, why: message };
    if (decoding.hasContent(decoder)) return { ok: false, why: 'trailing bytes after the message' };
    return { ok: true, message };
  } catch (e) {
    return { ok: false, why: e instanceof Error ? e.message : 'undecodable message' };
  }
}

function readMessage(decoder: decoding.Decoder): ClientMessage | string {
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MESSAGE_SYNC: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SYNC_STEP1) {
        Y.decodeStateVector(payload);
        return { kind: 'sync-step1', stateVector: payload };
      }
      if (step === SYNC_STEP2 || step === SYNC_UPDATE) {
        const shape = checkUpdate(payload);
        return { kind: 'sync-update', step, update: payload, empty: shape.structs === 0 && shape.deleteClients === 0 };
      }
      return `unknown sync step ${step}`;
    }
    case MESSAGE_AWARENESS: {
      const update = decoding.readVarUint8Array(decoder);
      return { kind: 'awareness', update, clients: readAwarenessEntries(update) };
    }
    case MESSAGE_QUERY_AWARENESS:
      return { kind: 'query-awareness' };
    default:
      // Auth (2) is server → client only; anything else is not ours.
      return `unexpected message type ${type}`;
  }
}

/** The entries of an awareness update, checked the way applyAwarenessUpdate will read them. */
function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const out: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    out.push({ clientId, clock, removed: state === null });
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes in the awareness update');
  return out;
}

/*
 * Encoders: each message is written into one array of its exact size (lib0's encoder grows a buffer
 * and copies it out; the relay writes several messages per update, so this is most of its encoding
 * garbage). The bytes are the same as y-protocols writes.
 */

function varUintLength(n: number): number {
  let len = 1;
  while (n > 127) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

function writeVarUint(out: Uint8Array, pos: number, n: number): number {
  while (n > 127) {
    out[pos++] = 128 | (n % 128);
    n = Math.floor(n / 128);
  }
  out[pos++] = n;
  return pos;
}

/** `type`, then `step` when given, then `payload` as a varUint8Array. */
function frame(type: number, step: number | undefined, payload: Uint8Array): Uint8Array {
  const head = step === undefined ? 1 : 2;
  const out = new Uint8Array(head + varUintLength(payload.length) + payload.length);
  out[0] = type;
  if (step !== undefined) out[1] = step;
  out.set(payload, writeVarUint(out, head, payload.length));
  return out;
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return frame(MESSAGE_SYNC, SYNC_STEP1, stateVector);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return frame(MESSAGE_SYNC, SYNC_STEP2, update);
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return frame(MESSAGE_SYNC, SYNC_UPDATE, update);
}

export function encodeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  return frame(MESSAGE_AWARENESS, undefined, awarenessUpdate);
}

/**
 * A sync step 1 carrying `doc`'s state vector, the same bytes as
 * `encodeSyncStep1(Y.encodeStateVector(doc))`: the number of clients, then each client and its next
 * clock, clients in descending order. Read straight from the doc's struct store into one array (the
 * relay sends one per acknowledgement).
 */
export function encodeStateVectorStep1(doc: Y.Doc): Uint8Array {
  const store = doc.store;
  const clients = Array.from(store.clients.keys()).sort((a, b) => b - a);
  const clocks = clients.map((c) => Y.getState(store, c));
  let size = varUintLength(clients.length);
  for (let i = 0; i < clients.length; i++) size += varUintLength(clients[i] as number) + varUintLength(clocks[i] as number);
  const out = new Uint8Array(2 + varUintLength(size) + size);
  out[0] = MESSAGE_SYNC;
  out[1] = SYNC_STEP1;
  let pos = writeVarUint(out, 2, size);
  pos = writeVarUint(out, pos, clients.length);
  for (let i = 0; i < clients.length; i++) {
    pos = writeVarUint(out, pos, clients[i] as number);
    pos = writeVarUint(out, pos, clocks[i] as number);
  }
  return out;
}
