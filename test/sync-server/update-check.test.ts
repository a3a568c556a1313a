/**
 * checkUpdate against Yjs itself: on updates of every content type Yjs writes, and on their
 * truncations and corruptions, it accepts exactly what `Y.decodeUpdate` accepts and reports the same
 * emptiness; and it refuses a length that reaches past the update's own bytes even when the bytes
 * after them are there (a view into a larger buffer).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate } from '../../sync-server/relay/update-check';

type Op =
  | { k: 'map'; key: string; value: unknown }
  | { k: 'map-delete'; key: string }
  | { k: 'text'; at: number; s: string; bold: boolean }
  | { k: 'text-delete'; at: number; n: number }
  | { k: 'embed'; at: number; value: Record<string, unknown> }
  | { k: 'array'; values: unknown[] }
  | { k: 'xml'; name: string; attr: string; text: string }
  | { k: 'hook'; name: string }
  | { k: 'subdoc'; key: string }
  | { k: 'nested'; key: string };

/** Strings of printable ASCII, or of any code points (multi-byte UTF-8, lone surrogates). */
const str = (maxLength: number, minLength = 0): fc.Arbitrary<string> => fc.oneof(fc.string({ minLength, maxLength }), fc.string({ unit: 'binary', minLength, maxLength }));

/** Values Yjs writes as "any": JSON, and the types lib0 adds (undefined, bigint, binary, floats). */
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    str(12),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.float({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.uint8Array({ maxLength: 8 }),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(str(6), tie('v'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).v;

/** What a map or an array takes as an entry: bigint and undefined only inside objects and arrays; binary as its own content. */
const entryValue: fc.Arbitrary<unknown> = fc.oneof(
  str(12),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.uint8Array({ maxLength: 8 }),
  fc.array(anyValue, { maxLength: 4 }),
  fc.dictionary(str(6), anyValue, { maxKeys: 4, noNullPrototype: true }),
);

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('map' as const), key: str(6), value: entryValue }),
  fc.record({ k: fc.constant('map-delete' as const), key: str(6) }),
  fc.record({ k: fc.constant('text' as const), at: fc.nat(), s: str(8, 1), bold: fc.boolean() }),
  fc.record({ k: fc.constant('text-delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ k: fc.constant('embed' as const), at: fc.nat(), value: fc.dictionary(str(4), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3, noNullPrototype: true }) }),
  fc.record({ k: fc.constant('array' as const), values: fc.array(entryValue, { minLength: 1, maxLength: 3 }) }),
  fc.record({ k: fc.constant('xml' as const), name: fc.constantFrom('p', 'div', 'span'), attr: str(4), text: str(6) }),
  fc.record({ k: fc.constant('hook' as const), name: fc.constantFrom('h', 'hook') }),
  fc.record({ k: fc.constant('subdoc' as const), key: str(4) }),
  fc.record({ k: fc.constant('nested' as const), key: str(4) }),
);

function apply(doc: Y.Doc, o: Op): void {
  const text = doc.getText('t');
  switch (o.k) {
    case 'map':
      doc.getMap('m').set(o.key, o.value);
      break;
    case 'map-delete':
      doc.getMap('m').delete(o.key);
      break;
    case 'text':
      text.insert(o.at % (text.length + 1), o.s, o.bold ? { bold: true } : {});
      break;
    case 'text-delete':
      if (text.length > 0) text.delete(o.at % text.length, Math.min(o.n, text.length - (o.at % text.length)));
      break;
    case 'embed':
      text.insertEmbed(o.at % (text.length + 1), o.value);
      break;
    case 'array':
      doc.getArray('a').push(o.values);
      break;
    case 'xml': {
      const el = new Y.XmlElement(o.name);
      el.setAttribute('a', o.attr);
      el.insert(0, [new Y.XmlText(o.text)]);
      doc.getXmlFragment('x').push([el]);
      break;
    }
    case 'hook':
      // XmlHook is a shared type the fragment takes; Yjs's typings leave it out.
      doc.getXmlFragment('x').push([new Y.XmlHook(o.name) as unknown as Y.XmlElement]);
      break;
    case 'subdoc':
      doc.getMap('docs').set(o.key, new Y.Doc());
      break;
    case 'nested':
      doc.getMap('m').set(o.key, new Y.Map());
      break;
  }
}

/** The updates a session of ops produces: each transaction's, the whole state, and a merge with a gap (Skip structs). */
function updatesOf(ops: readonly Op[], gc: boolean): Uint8Array[] {
  const doc = new Y.Doc({ gc });
  const each: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => each.push(u));
  for (const o of ops) apply(doc, o);
  const out = [...each, Y.encodeStateAsUpdate(doc)];
  if (each.length >= 3) out.push(Y.mergeUpdates(each.filter((_, i) => i % 2 === 0)));
  return out;
}

function yjsAccepts(u: Uint8Array): boolean {
  try {
    Y.decodeUpdate(u);
    return true;
  } catch {
    return false;
  }
}

function ours(u: Uint8Array): { ok: true; empty: boolean } | { ok: false } {
  try {
    const s = checkUpdate(u);
    return { ok: true, empty: s.structs === 0 && s.deleteClients === 0 };
  } catch {
    return { ok: false };
  }
}

function yjsEmpty(u: Uint8Array): boolean {
  const d = Y.decodeUpdate(u);
  return d.structs.length === 0 && d.ds.clients.size === 0;
}

describe('checkUpdate', () => {
  it('accepts every update Yjs writes, of every content type, and says whether it is empty as Yjs does', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.boolean(), (ops, gc) => {
        for (const u of updatesOf(ops, gc)) expect(ours(u)).toEqual({ ok: true, empty: yjsEmpty(u) });
      }),
      { numRuns: 300 },
    );
    expect(ours(Y.encodeStateAsUpdate(new Y.Doc()))).toEqual({ ok: true, empty: true });
  });

  it('refuses exactly what Y.decodeUpdate refuses: truncations, flipped, inserted and dropped bytes', () => {
    const edit = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), how: fc.constantFrom('flip', 'insert', 'drop', 'cut') });
    let refused = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), fc.boolean(), fc.array(edit, { minLength: 1, maxLength: 3 }), (ops, gc, edits) => {
        for (const u of updatesOf(ops, gc)) {
          let bytes = Array.from(u);
          for (const e of edits) {
            const at = bytes.length === 0 ? 0 : e.at % bytes.length;
            if (e.how === 'flip') bytes[at] = e.byte;
            else if (e.how === 'insert') bytes.splice(at, 0, e.byte);
            else if (e.how === 'drop') bytes.splice(at, 1);
            else bytes = bytes.slice(0, at);
          }
          const mutated = Uint8Array.from(bytes);
          const accepted = yjsAccepts(mutated);
          if (!accepted) refused++;
          const mine = ours(mutated);
          expect(mine.ok, `Yjs ${accepted ? 'accepts' : 'refuses'} ${Buffer.from(mutated).toString('hex')}`).toBe(accepted);
          if (mine.ok) expect(mine.empty).toBe(yjsEmpty(mutated));
        }
      }),
      { numRuns: 400 },
    );
    // The corruptions are not all harmless: most of them are refused.
    expect(refused).toBeGreaterThan(200);
  });

  it('refuses every strict prefix of an update with a delete set', () => {
    const doc = new Y.Doc();
    doc.getMap('facts').set('01JA', { note: 'a note', n: 1 });
    doc.getMap('facts').delete('01JA');
    doc.getText('t').insert(0, 'hello', { bold: true });
    const u = Y.encodeStateAsUpdate(doc);
    for (let n = 0; n < u.length; n++) expect(ours(u.slice(0, n)).ok, `prefix of ${n} bytes`).toBe(false);
    expect(ours(u).ok).toBe(true);
  });

  it('refuses a length that reaches past the update into the bytes after it', () => {
    const doc = new Y.Doc();
    doc.getMap('facts').set('01JA', 'a string value');
    const u = Y.encodeStateAsUpdate(doc);
    // The same update in a larger buffer, cut three bytes short: lib0 would read on into the next bytes.
    const buffer = new Uint8Array(u.length + 16);
    buffer.set(u);
    const view = buffer.subarray(0, u.length - 3);
    expect(ours(view).ok).toBe(false);
    expect(ours(buffer.subarray(0, u.length)).ok).toBe(true);
  });
});
