/**
 * Helpers for values the worklist keeps.
 *
 * Why. A worklist keeps what it computes for every account (its rows, state, decision, score): per
 * build, hundreds of thousands of small objects that live until the next build. Objects allocated
 * young and still alive are copied by V8's young-generation collector, once or twice, while the build
 * runs; on the benchmark portfolio that copying was a third of the build. Two shapes cost most and are
 * cheap to avoid:
 * - arrays made by `slice`, `push` or `new Array` are always allocated young, whereas an array literal
 *   is allocated with its elements at a tracked allocation site, which V8 moves to the old generation
 *   once it sees the site's arrays survive: `copyRange` copies short ranges as literals;
 * - a sentence built with `+` or a template is a tree of "cons" strings, one object per piece, until
 *   something reads its characters: `flat` makes it one flat string at once, and the tree is garbage
 *   before the collector ever sees it.
 */

/** `s`, flattened: reading a character makes V8 replace a cons-string tree by one flat string. */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/**
 * rows[from, to) as a new array. Lengths up to 16 get an array literal each (see above), up to 64 a
 * trimmed one; longer ranges, rare, are sliced.
 */
export function copyRange<T>(rows: readonly T[], from: number, to: number): T[] {
  const r = rows as T[];
  const f = from;
  switch (to - from) {
    case 0:
      return [];
    case 1:
      return [r[f] as T];
    case 2:
      return [r[f] as T, r[f + 1] as T];
    case 3:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T];
    case 4:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T];
    case 5:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T, r[f + 4] as T];
    case 6:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T, r[f + 4] as T, r[f + 5] as T];
    case 7:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T, r[f + 4] as T, r[f + 5] as T, r[f + 6] as T];
    case 8:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T, r[f + 4] as T, r[f + 5] as T, r[f + 6] as T, r[f + 7] as T];
    case 9:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T, r[f + 4] as T, r[f + 5] as T, r[f + 6] as T, r[f + 7] as T, r[f + 8] as T];
    case 10:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T, r[f + 4] as T, r[f + 5] as T, r[f + 6] as T, r[f + 7] as T, r[f + 8] as T, r[f + 9] as T];
    case 11:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T, r[f + 4] as T, r[f + 5] as T, r[f + 6] as T, r[f + 7] as T, r[f + 8] as T, r[f + 9] as T, r[f + 10] as T];
    case 12:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T, r[f + 4] as T, r[f + 5] as T, r[f + 6] as T, r[f + 7] as T, r[f + 8] as T, r[f + 9] as T, r[f + 10] as T, r[f + 11] as T];
    case 13:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T, r[f + 4] as T, r[f + 5] as T, r[f + 6] as T, r[f + 7] as T, r[f + 8] as T, r[f + 9] as T, r[f + 10] as T, r[f + 11] as T, r[f + 12] as T];
    case 14:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T, r[f + 4] as T, r[f + 5] as T, r[f + 6] as T, r[f + 7] as T, r[f + 8] as T, r[f + 9] as T, r[f + 10] as T, r[f + 11] as T, r[f + 12] as T, r[f + 13] as T];
    case 15:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T, r[f + 4] as T, r[f + 5] as T, r[f + 6] as T, r[f + 7] as T, r[f + 8] as T, r[f + 9] as T, r[f + 10] as T, r[f + 11] as T, r[f + 12] as T, r[f + 13] as T, r[f + 14] as T];
    case 16:
      return [r[f] as T, r[f + 1] as T, r[f + 2] as T, r[f + 3] as T, r[f + 4] as T, r[f + 5] as T, r[f + 6] as T, r[f + 7] as T, r[f + 8] as T, r[f + 9] as T, r[f + 10] as T, r[f + 11] as T, r[f + 12] as T, r[f + 13] as T, r[f + 14] as T, r[f + 15] as T];
    default:
      return to - from <= 64 ? copyTrimmed(r, from, to) : r.slice(from, to);
  }
}

/**
 * Ranges of 17 to 64 rows (an account's payments or facts, often): a literal of 32 or 64 slots, filled,
 * then cut to length (V8 trims the elements where they lie), so these too are allocated at a tracked
 * site. Longer ranges are rare enough to slice.
 */
function copyTrimmed<T>(r: readonly T[], from: number, to: number): T[] {
  const n = to - from;
  const u = undefined as unknown as T;
  const a: T[] =
    n <= 32
      ? [u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u]
      : [
          u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u,
          u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u,
        ];
  for (let i = 0; i < n; i++) a[i] = r[from + i] as T;
  a.length = n;
  return a;
}
