import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

// Two entries: the owner app (index.html) and the recipients' share page (share.html), so people
// following a link download only the share page's own small bundle.
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No polyfill: it would be inlined, and the CSP allows no inline script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    manifest: true,
    rolldownOptions: {
      input: { index: 'index.html', share: 'share.html' },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
