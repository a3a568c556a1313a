/**
 * The production build the bench measures (as `npm start` serves it), plus the storage probe
 * (probe-entry.ts) built beside it so a page of the app's origin can load it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');

/** Where the probe is served from, relative to the app's origin. */
export const PROBE_PATH = '/bench-probe/probe.js';

/**
 * Vite takes the environment's NODE_ENV over the mode (test/e2e/e2e-helpers.ts says the same): pinned
 * to production for the build so the bench never measures React's development build.
 */
async function asProduction<T>(run: () => Promise<T>): Promise<T> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    return await run();
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}

/** Builds the PWA into a new temp folder (the caller removes it) and the probe under it; returns the folder. */
export async function buildForBench(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'dunwell-bench-dist-'));
  try {
    await buildInto(outDir);
  } catch (e) {
    // The caller only learns the folder on success: a failed build removes its own.
    rmSync(outDir, { recursive: true, force: true });
    throw e;
  }
  return outDir;
}

async function buildInto(outDir: string): Promise<void> {
  await asProduction(async () => {
    await build({ root, mode: 'production', logLevel: 'error', build: { outDir, emptyOutDir: true } });
    // Its own build without the app's config: no PWA plugin, so the app's service worker manifest stays the app's.
    await build({
      root,
      configFile: false,
      mode: 'production',
      logLevel: 'error',
      build: {
        outDir: join(outDir, dirname(PROBE_PATH)),
        emptyOutDir: true,
        target: 'es2022',
        lib: { entry: join(here, 'probe-entry.ts'), formats: ['es'], fileName: () => 'probe.js' },
      },
    });
  });
}
