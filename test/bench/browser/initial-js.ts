/**
 * Issue 5's "initial JavaScript": what a browser must fetch before the first screen runs, i.e. the
 * production index.html's module scripts and modulepreloads, and every chunk they import statically
 * (transitively). Dynamic `import()` chunks (the manager screens, charts) are not initial. Each file is
 * gzipped on its own (as a server would send it) and the sizes summed.
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface InitialJs {
  readonly files: readonly { readonly path: string; readonly bytes: number; readonly gzipBytes: number }[];
  readonly bytes: number;
  readonly gzipBytes: number;
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1];

/** Entry files named by index.html: every `<script src>` (module or classic) and `<link rel="modulepreload" href>`. */
export function htmlEntries(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(m[0], 'src');
    if (src !== undefined) out.push(src);
  }
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const href = attr(m[0], 'href');
    if (href !== undefined && attr(m[0], 'rel') === 'modulepreload') out.push(href);
  }
  return out;
}

/**
 * Static imports of a minified ES module: `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`.
 * `import("./x.js")` has a parenthesis after `import` and is not matched.
 */
export function staticImports(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/(?:\bimport|\bexport)\s*(?:[\w*${}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g)) if (m[1] !== undefined) out.push(m[1]);
  return out;
}

export function initialJs(distDir: string): InitialJs {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const queue = htmlEntries(html).map((p) => posix.normalize(p.replace(/^\//, '')));
  const files: { path: string; bytes: number; gzipBytes: number }[] = [];
  while (queue.length > 0) {
    const path = queue.shift() ?? '';
    if (seen.has(path) || !path.endsWith('.js')) continue;
    seen.add(path);
    const buf = readFileSync(join(distDir, path));
    files.push({ path, bytes: buf.length, gzipBytes: gzipSync(buf, { level: 9 }).length });
    for (const spec of staticImports(buf.toString('utf8'))) if (spec.startsWith('.') || spec.startsWith('/')) queue.push(spec.startsWith('/') ? spec.slice(1) : posix.join(posix.dirname(path), spec));
  }
  const sum = (k: 'bytes' | 'gzipBytes') => files.reduce((a, f) => a + f[k], 0);
  return { files, bytes: sum('bytes'), gzipBytes: sum('gzipBytes') };
}
