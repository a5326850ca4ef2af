/// <reference types="vitest/config" />
import { defineConfig, type Connect, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The server renders static/js/advancedOptions.js from its YAML config; it is
// never part of the build. The dev server and `vite preview` serve a
// hand-written fixture at that path so the app can run without the Go server.
function devAdvancedOptions(): Plugin {
  const fixture = fileURLToPath(new URL('./dev/advancedOptions.js', import.meta.url));
  const serve: Connect.NextHandleFunction = (req, res, next) => {
    if (!req.url || !req.url.split('?')[0].endsWith('/static/js/advancedOptions.js')) return next();
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.end(readFileSync(fixture, 'utf8'));
  };
  return {
    name: 'dev-advanced-options',
    apply: 'serve',
    configureServer(server) { server.middlewares.use(serve); },
    configurePreviewServer(server) { server.middlewares.use(serve); },
  };
}

export default defineConfig({
  base: './',
  plugins: [preact(), devAdvancedOptions()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'static',
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        entryFileNames: 'static/js/[name].[hash].js',
        chunkFileNames: 'static/js/[name].[hash].js',
        assetFileNames: (info) =>
          (info.names?.[0] ?? '').endsWith('.css') ? 'static/css/[name].[hash][extname]' : 'static/media/[name].[hash][extname]',
      },
    },
  },
  test: {
    // Logic tests run in Node; component tests (*.test.tsx) say
    // `@vitest-environment happy-dom` at their top.
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
