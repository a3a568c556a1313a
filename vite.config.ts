import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      // 'prompt', not 'autoUpdate': a collector may be in the middle of a note when a new version lands.
      registerType: 'prompt',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'Dunwell Collections',
        short_name: 'Dunwell',
        description: 'Credit and collections worklist that works offline and syncs with your team',
        theme_color: '#1f4e5f',
        background_color: '#ffffff',
        display: 'standalone',
        start_url: '/',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//],
      },
    }),
  ],
  server: {
    proxy: { '/api': 'http://127.0.0.1:8787' },
  },
  build: { target: 'es2022', sourcemap: true },
});
