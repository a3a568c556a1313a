/** Builds the UI harness (harness/index.html) into a folder, without the PWA plugin. */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { asProduction } from '../e2e/e2e-helpers';

export async function buildHarness(outDir: string): Promise<void> {
  await asProduction(() => build({
    configFile: false,
    root: fileURLToPath(new URL('./harness', import.meta.url)),
    base: '/',
    logLevel: 'error',
    plugins: [react()],
    mode: 'production',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  }));
}
