/// <reference types="vitest/config" />
import { defineConfig, type Connect, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

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

// The person-segmentation model behind virtual backgrounds
// (localVideoFilter): MediaPipe Selfie Segmentation's loader, wasm and
// weights, copied from the npm package into static/mediapipe/ so the site
// serves them itself. Only the SIMD build of the wasm is shipped (every
// browser with WebRTC video today has WebAssembly SIMD). Nothing imports
// them: src/media/background/effect.ts loads them when an agent turns a
// background on.
const mediapipeFiles = [
  'selfie_segmentation.js',
  'selfie_segmentation_solution_simd_wasm_bin.js',
  'selfie_segmentation_solution_simd_wasm_bin.wasm',
  'selfie_segmentation.binarypb',
  'selfie_segmentation.tflite',
  'selfie_segmentation_landscape.tflite',
];
function mediapipeModel(): Plugin {
  const dir = fileURLToPath(new URL('./node_modules/@mediapipe/selfie_segmentation/', import.meta.url));
  const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', wasm: 'application/wasm' };
  // The dev server serves them at the same path.
  const serve: Connect.NextHandleFunction = (req, res, next) => {
    const name = /\/static\/mediapipe\/([\w.]+)$/.exec(req.url?.split('?')[0] ?? '')?.[1];
    if (!name || !mediapipeFiles.includes(name)) return next();
    res.setHeader('Content-Type', types[name.split('.').pop() ?? ''] ?? 'application/octet-stream');
    res.end(readFileSync(dir + name));
  };
  return {
    name: 'mediapipe-model',
    configureServer(server) { server.middlewares.use(serve); },
    generateBundle() {
      for (const name of mediapipeFiles) {
        this.emitFile({ type: 'asset', fileName: `static/mediapipe/${name}`, source: readFileSync(dir + name) });
      }
    },
  };
}

// Every compressible file of the build gets X.br (brotli 11) and X.gz (gzip
// 9) beside it, so the server sends these at once instead of compressing
// at start-up (server/site: Layer.Embedded). The extensions and the 1 KiB
// floor are the server's (server/site/mime.go compressible, minCompressSize);
// where a sidecar is missing the server compresses that file itself. A form
// that is not smaller than the file is not written.
const compressible = /\.(html|m?js|css|json|map|webmanifest|svg|ico|ttf|txt|xml|wasm|wav)$/;
function precompress(): Plugin {
  let outDir = '';
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) { outDir = resolve(config.root, config.build.outDir); },
    async closeBundle() {
      const todo = files(outDir).filter((f) => compressible.test(f) && statSync(f).size >= 1024);
      await Promise.all(todo.map(async (f) => {
        const data = readFileSync(f);
        // The window is sized to the file (as the server's brotliBytes):
        // no better compression from a larger one, only more memory.
        let lgwin = 10;
        while (lgwin < 24 && 1 << lgwin < data.length) lgwin++;
        const [b, g] = await Promise.all([
          br(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_LGWIN]: lgwin, [zlib.BROTLI_PARAM_SIZE_HINT]: data.length } }),
          gz(data, { level: 9 }),
        ]);
        if (b.length < data.length) writeFileSync(f + '.br', b);
        if (g.length < data.length) writeFileSync(f + '.gz', g);
      }));
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [preact(), devAdvancedOptions(), mediapipeModel(), precompress()],
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
