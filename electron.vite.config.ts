import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/app/index.ts') },
        external: ['better-sqlite3', 'electron'],
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        // A sandboxed preload must be one self-contained CommonJS script.
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      // electron-vite leaves the renderer unminified; it is also served to browsers by `deckhand serve`
      minify: true,
      rollupOptions: {
        // public/ (copied as is) holds the sandboxed card frame: card-frame.html + card-frame.js,
        // classic scripts because an opaque-origin frame cannot load module scripts without CORS.
        input: { index: resolve(__dirname, 'src-renderer/index.html') },
      },
    },
    plugins: [react()],
  },
});
