import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

// Three entries: the owner app (index.html), the recipients' share page (share.html) and the
// uploaders' file request page (request.html), so people following a link download only that
// page's own small bundle.
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
      input: { index: 'index.html', share: 'share.html', request: 'request.html' },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
