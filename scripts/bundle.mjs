// Bundles src/index.ts into one minified ESM file that runs on Node 20 and 24.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Bundled CommonJS dependencies call require(); ESM output has none unless we make one.
  banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
});
