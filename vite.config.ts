import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      // 'prompt', not 'autoUpdate': a collector may be in the middle of a note when a new version lands.
      // The app registers the worker itself (src/main.tsx, virtual:pwa-register) and shows the prompt.
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icon.svg', 'apple-touch-icon.png'],
      manifest: {
        id: '/',
        name: 'Dunwell Collections',
        short_name: 'Dunwell',
        description: 'Credit and collections worklist that works offline and syncs with your team',
        lang: 'en',
        theme_color: '#1f4e5f',
        background_color: '#ffffff',
        display: 'standalone',
        orientation: 'any',
        start_url: '/',
        scope: '/',
        categories: ['business', 'finance', 'productivity'],
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        // The shell and every lazy chunk (manager screens, charts) are precached: the app opens and
        // every screen loads offline after the first visit. Source maps are not shipped to devices.
        globPatterns: ['**/*.{js,css,html,svg,png,woff2,webmanifest}'],
        globIgnores: ['**/*.map'],
        // Workbox's own default, stated: a file over 2 MiB fails the build instead of silently not
        // being precached (DESIGN.md §8).
        maximumFileSizeToCacheInBytes: 2 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  server: {
    proxy: { '/api': 'http://127.0.0.1:8787', '/sync': { target: 'ws://127.0.0.1:8787', ws: true } },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
  },
});
