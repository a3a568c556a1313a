/**
 * Checks that a Yjs update (format v1, what y-websocket sends) is well formed, without building it.
 *
 * Why: the relay must refuse a malformed update before applying it. `Y.applyUpdate` integrates an
 * update's structs before it reads its delete set, so an update with a broken tail would be half
 * applied before it throws. `Y.decodeUpdate` finds those, but it builds every struct and every value
 * of the update (a second copy of each fact, ~4 KB of garbage per update at 1,000 updates/s, about as
 * much as applying it). This reader walks the same bytes in the same order as Yjs 13's
 * `decodeUpdate` (lazyStructReaderGenerator, readItemContent, lib0's readAny, readDeleteSet) and
 * only moves a cursor. It refuses everything `Y.decodeUpdate` refuses, and, stricter, any length that
 * reaches past the update's own bytes (lib0 only stops at the end of the underlying buffer). The
 * differential test (test/sync-server/update-check.test.ts) holds it to that against Yjs on generated
 * updates of every content type and on their truncations and corruptions.
 *
 * Strings are checked to be well-formed UTF-8 without being decoded (lib0 decodes them with a fatal
 * TextDecoder, so a malformed one makes Yjs throw): a loop over the bytes, and `isUtf8` only when one
 * is not ASCII. JSON content (format attributes, embeds, legacy JSON) is parsed, because Yjs parses it:
 * rare, and not in Dunwell's facts.
 */
import { isUtf8 } from 'node:buffer';

/** What the update holds, as far as the relay needs to know. */
export interface UpdateShape {
  readonly structs: number;
  /** Clients with at least one deleted range in the delete set. */
  readonly deleteClients: number;
}

const BIT7 = 64;
const BIT8 = 128;
const BITS5 = 31;
const BITS6 = 63;
const BITS7 = 127;

class MalformedUpdate extends Error {}

/** As lib0 decodes: a malformed sequence throws. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A cursor over the update's bytes; every read past its end throws. */
class Cursor {
  pos = 0;
  readonly arr: Uint8Array;

  constructor(arr: Uint8Array) {
    this.arr = arr;
  }

  byte(): number {
    if (this.pos >= this.arr.length) throw new MalformedUpdate('unexpected end of the update');
    return this.arr[this.pos++] as number;
  }

  /** lib0 readVarUint: 7 bits per byte, little-endian, at most MAX_SAFE_INTEGER. */
  varUint(): number {
    let num = 0;
    let mult = 1;
    for (;;) {
      const r = this.byte();
      num += (r & BITS7) * mult;
      mult *= 128;
      if (r < BIT8) return num;
      if (num > Number.MAX_SAFE_INTEGER) throw new MalformedUpdate('integer out of range');
    }
  }

  /** lib0 readVarInt: a sign bit and 6 bits in the first byte, then 7 bits per byte. */
  skipVarInt(): void {
    let r = this.byte();
    if ((r & BIT8) === 0) return;
    let num = r & BITS6;
    let mult = 64;
    for (;;) {
      r = this.byte();
      num += (r & BITS7) * mult;
      mult *= 128;
      if (r < BIT8) return;
      if (num > Number.MAX_SAFE_INTEGER) throw new MalformedUpdate('integer out of range');
    }
  }

  skip(n: number): void {
    if (n > this.arr.length - this.pos) throw new MalformedUpdate('a length reaches past the end of the update');
    this.pos += n;
  }

  /** A varUint length, then that many bytes (lib0 readVarUint8Array). */
  skipVarBytes(): void {
    this.skip(this.varUint());
  }

  /** A varUint length, then that many bytes of well-formed UTF-8 (lib0 readVarString). */
  skipString(): void {
    const n = this.varUint();
    const start = this.pos;
    this.skip(n);
    const arr = this.arr;
    for (let i = start; i < start + n; i++) {
      if ((arr[i] as number) >= BIT8) {
        if (!isUtf8(arr.subarray(start, start + n))) throw new MalformedUpdate('a string that is not UTF-8');
        return;
      }
    }
  }

  string(): string {
    const n = this.varUint();
    const start = this.pos;
    this.skip(n);
    return utf8.decode(this.arr.subarray(start, start + n));
  }

  /** lib0 readAny: a type byte (127 − index), then the value. */
  skipAny(depth = 0): void {
    // lib0 recurses too and fails with a RangeError far deeper; a fact is never this deep.
    if (depth > 1000) throw new MalformedUpdate('a value nested too deeply');
    switch (this.byte()) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        return;
      case 125: // integer
        return this.skipVarInt();
      case 124: // float32
        return this.skip(4);
      case 123: // float64
      case 122: // bigint64
        return this.skip(8);
      case 119: // string
        return this.skipString();
      case 116: // Uint8Array
        return this.skipVarBytes();
      case 118: {
        // object: count, then key and value pairs
        const n = this.varUint();
        for (let i = 0; i < n; i++) {
          this.skipString();
          this.skipAny(depth + 1);
        }
        return;
      }
      case 117: {
        // array
        const n = this.varUint();
        for (let i = 0; i < n; i++) this.skipAny(depth + 1);
        return;
      }
      default:
        throw new MalformedUpdate('unknown value type');
    }
  }

  /** Yjs's readJSON: a string that JSON.parse accepts. */
  skipJson(): void {
    JSON.parse(this.string());
  }
}

/** Yjs typeRefs: array, map, text, xml element (with a name), fragment, hook (with a name), xml text. */
function skipTypeRef(c: Cursor): void {
  const ref = c.varUint();
  if (ref > 6) throw new MalformedUpdate(`unknown shared type ${ref}`);
  if (ref === 3 || ref === 5) c.skipString();
}

/** Yjs readItemContent, by the low five bits of the struct's info byte. */
function skipContent(c: Cursor, kind: number): void {
  switch (kind) {
    case 1: // deleted
      c.varUint();
      return;
    case 2: {
      // JSON (legacy): count, then JSON strings ("undefined" allowed)
      const n = c.varUint();
      for (let i = 0; i < n; i++) {
        const s = c.string();
        if (s !== 'undefined') JSON.parse(s);
      }
      return;
    }
    case 3: // binary
      c.skipVarBytes();
      return;
    case 4: // string
      c.skipString();
      return;
    case 5: // embed
      c.skipJson();
      return;
    case 6: // format: key, JSON value
      c.skipString();
      c.skipJson();
      return;
    case 7:
      skipTypeRef(c);
      return;
    case 8: {
      // any: count, then values
      const n = c.varUint();
      for (let i = 0; i < n; i++) c.skipAny();
      return;
    }
    case 9: {
      // subdocument: guid, then options, which Yjs spreads and reads a property of
      c.skipString();
      const at = c.pos;
      const type = c.byte();
      if (type === 127 || type === 126) throw new MalformedUpdate('subdocument options must not be null');
      c.pos = at;
      c.skipAny();
      return;
    }
    default:
      throw new MalformedUpdate(`unknown content type ${kind}`);
  }
}

/**
 * Checks a v1 update; throws an Error saying what is wrong when it is malformed. Trailing bytes after
 * the delete set are ignored, as Yjs ignores them.
 */
export function checkUpdate(update: Uint8Array): UpdateShape {
  const c = new Cursor(update);
  let structs = 0;
  const clients = c.varUint();
  for (let i = 0; i < clients; i++) {
    const count = c.varUint();
    c.varUint(); // client
    c.varUint(); // first clock
    for (let j = 0; j < count; j++) {
      const info = c.byte();
      structs++;
      if (info === 10) {
        c.varUint(); // skip: length
      } else if ((info & BITS5) !== 0) {
        const cantCopyParentInfo = (info & (BIT7 | BIT8)) === 0;
        if ((info & BIT8) === BIT8) {
          c.varUint(); // origin
          c.varUint();
        }
        if ((info & BIT7) === BIT7) {
          c.varUint(); // right origin
          c.varUint();
        }
        if (cantCopyParentInfo) {
          // parent: 1 then a root type's name, else an item's id
          if (c.varUint() === 1) c.skipString();
          else {
            c.varUint();
            c.varUint();
          }
          if ((info & 32) === 32) c.skipString(); // parentSub: the map key
        }
        skipContent(c, info & BITS5);
      } else {
        c.varUint(); // GC: length
      }
    }
  }
  let deleteClients = 0;
  const dsClients = c.varUint();
  for (let i = 0; i < dsClients; i++) {
    c.varUint(); // client
    const ranges = c.varUint();
    if (ranges > 0) deleteClients++;
    for (let j = 0; j < ranges; j++) {
      c.varUint(); // clock
      c.varUint(); // length
    }
  }
  return { structs, deleteClients };
}
