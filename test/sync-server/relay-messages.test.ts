import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import { decodeClientMessage, encodeAwarenessMessage, encodeStateVectorStep1, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from '../../sync-server/relay/messages';

function roomDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.getMap('facts').set('01JA0000000000000000000000', { v: 1, note: 'hello' });
  doc.getMap('meta').set('layout', 1);
  return doc;
}

const valid = (() => {
  const doc = new Y.Doc();
  doc.getMap('facts').set('01JB0000000000000000000000', { v: 1, note: 'a longer note with some text in it' });
  doc.getMap('facts').set('01JC0000000000000000000000', { v: 1, list: [1, 2, 3] });
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ user: 'u-ana', account: 'C1' });
  const frames = [
    encodeSyncStep1(Y.encodeStateVector(doc)),
    encodeSyncStep2(Y.encodeStateAsUpdate(doc)),
    encodeSyncUpdate(Y.encodeStateAsUpdate(doc)),
    encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])),
  ];
  awareness.destroy();
  return frames;
})();

describe('relay messages', () => {
  it('encodes the bytes y-protocols writes, for payloads of every length class', () => {
    const lib0 = (type: number, step: number | undefined, payload: Uint8Array) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, type);
      if (step !== undefined) encoding.writeVarUint(e, step);
      encoding.writeVarUint8Array(e, payload);
      return encoding.toUint8Array(e);
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), (payload) => {
        expect(encodeSyncStep1(payload)).toEqual(lib0(0, syncProtocol.messageYjsSyncStep1, payload));
        expect(encodeSyncStep2(payload)).toEqual(lib0(0, syncProtocol.messageYjsSyncStep2, payload));
        const update = encoding.createEncoder();
        encoding.writeVarUint(update, 0);
        syncProtocol.writeUpdate(update, payload);
        expect(encodeSyncUpdate(payload)).toEqual(encoding.toUint8Array(update));
        expect(encodeAwarenessMessage(payload)).toEqual(lib0(1, undefined, payload));
      }),
      { numRuns: 200 },
    );
  });

  it('encodes a doc’s state vector as a step 1 with the bytes Yjs writes, for any clients and clocks', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 300 })), { maxLength: 8 }), (writers) => {
        const doc = new Y.Doc();
        for (const [client, n] of writers) {
          const other = new Y.Doc();
          other.clientID = client;
          Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
          other.getText('t').insert(0, 'x'.repeat(n));
          Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
        }
        expect(encodeStateVectorStep1(doc)).toEqual(encodeSyncStep1(Y.encodeStateVector(doc)));
      }),
      { numRuns: 100 },
    );
  });

  it('decodes what a stock client sends', () => {
    expect(valid.map((f) => decodeClientMessage(f)).map((r) => (r.ok ? r.message.kind : r.why))).toEqual(['sync-step1', 'sync-update', 'sync-update', 'awareness']);
    expect(decodeClientMessage(Uint8Array.of(3))).toEqual({ ok: true, message: { kind: 'query-awareness' } });
    const empty = decodeClientMessage(encodeSyncStep2(Y.encodeStateAsUpdate(new Y.Doc())));
    expect(empty.ok && empty.message.kind === 'sync-update' && empty.message.empty).toBe(true);
  });

  it('refuses unknown types, the auth message, trailing bytes and truncation', () => {
    for (const frame of [Uint8Array.of(), Uint8Array.of(7), Uint8Array.of(2, 0), Uint8Array.of(0, 5, 0), Uint8Array.of(...(valid[0] ?? []), 0), (valid[1] ?? Uint8Array.of()).slice(0, 10)])
      expect(decodeClientMessage(frame).ok).toBe(false);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, Uint8Array.of(1, 5, 1, 3, 123, 34, 120));
    expect(decodeClientMessage(encoding.toUint8Array(e))).toMatchObject({ ok: false });
  });

  it('never throws, and whatever it accepts applies to a room doc without throwing or breaking it (fuzz)', () => {
    const doc = new Y.Doc();
    doc.getMap('facts').set('01JB0000000000000000000000', { v: 1, note: 'a longer note with some text in it' });
    doc.getMap('facts').set('01JC0000000000000000000000', { v: 1, list: [1, 2, 3] });
    doc.getMap('facts').delete('01JC0000000000000000000000');
    const payloads = [Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc)];
    const mutate = (bytes: Uint8Array, flips: readonly (readonly [number, number])[], cut: number) => {
      const out = bytes.slice(0, Math.max(0, bytes.length - (cut % 6)));
      for (const [at, b] of flips) if (out.length > 0) out[at % out.length] = b;
      return out;
    };
    const flips = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 });
    const frame = fc.oneof(
      // Whole frames with bytes flipped or cut short.
      fc.tuple(fc.constantFrom(...valid), flips, fc.nat()).map(([f, fl, cut]) => mutate(f, fl, cut)),
      // Well-formed envelopes around a damaged update or state vector: what reaches Yjs.
      fc.tuple(fc.constantFrom(0, 1, 2), fc.constantFrom(...payloads), flips, fc.nat()).map(([step, payload, fl, cut]) => {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, step);
        encoding.writeVarUint8Array(e, mutate(payload, fl, cut));
        return encoding.toUint8Array(e);
      }),
      fc.uint8Array({ maxLength: 80 }),
    );
    let accepted = 0;
    fc.assert(
      fc.property(frame, (bytes) => {
        const result = decodeClientMessage(bytes);
        if (!result.ok) return;
        accepted++;
        const doc = roomDoc();
        const m = result.message;
        if (m.kind === 'sync-update') Y.applyUpdate(doc, m.update);
        if (m.kind === 'sync-step1') Y.encodeStateAsUpdate(doc, m.stateVector);
        if (m.kind === 'awareness') {
          const awareness = new awarenessProtocol.Awareness(doc);
          awarenessProtocol.applyAwarenessUpdate(awareness, m.update, 'test');
          awareness.destroy();
        }
        // The doc still encodes, reloads, and takes a normal edit.
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
        copy.getMap('facts').set('01JD0000000000000000000000', { v: 1 });
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy));
        expect(doc.getMap('facts').has('01JD0000000000000000000000')).toBe(true);
      }),
      { numRuns: 5000, seed: 4 },
    );
    // The generator must reach Yjs often enough for the property to mean something.
    expect(accepted).toBeGreaterThan(300);
  });
});
