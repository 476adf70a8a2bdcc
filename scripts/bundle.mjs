// Bundles src/index.ts into one minified CommonJS file (dist/action.cjs) that runs on Node 20 and 24,
// and src/loader/ into the entry action.yml names (dist/index.cjs), which runs it with a code cache.
import { build } from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLicenses } from './licenses.mjs';

// @actions/github's entry module loads Octokit and undici although the action reads only its
// `context`; lib/context.js (not in the package's exports) holds the Context class on its own.
const githubLib = path.dirname(fileURLToPath(import.meta.resolve('@actions/github')));
const githubContextOnly = `import { Context } from ${JSON.stringify(path.join(githubLib, 'context.js'))};
export { Context };
export const context = new Context();
`;

// @actions/core loads @actions/http-client (and with it undici) only for getIDToken, which the action
// never calls; should it ever be called, it fails with this message instead of a request.
const noHttpClient = `const unused = () => { throw new Error('@actions/http-client is not bundled: this action makes no HTTP requests of its own'); };
export class HttpClient { constructor() { unused(); } }
export class BearerCredentialHandler { constructor() { unused(); } }
`;

/** Modules replaced by smaller ones; without them the bundle is about 650 kB instead of about 110 kB. */
const REPLACEMENTS = {
  '@actions/github': { contents: githubContextOnly, resolveDir: githubLib },
  '@actions/http-client': { contents: noHttpClient },
  '@actions/http-client/lib/auth': { contents: noHttpClient },
};

const replaceModules = {
  name: 'replace-modules',
  setup(build) {
    const names = Object.keys(REPLACEMENTS).map((name) => name.replace(/[/.]/g, '\\$&'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: args.path,
      namespace: 'replaced',
    }));
    build.onLoad({ filter: /.*/, namespace: 'replaced' }, (args) => ({
      loader: 'js',
      resolveDir: process.cwd(),
      ...REPLACEMENTS[args.path],
    }));
  },
};

// CommonJS, not ESM: dist/index.cjs runs the bundle through vm.Script with a code cache taken after
// a run (src/loader/), which ESM modules cannot have; the CommonJS loader is also a little faster.
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // The sources are ESM: import.meta becomes what a CommonJS module has.
  define: { 'import.meta.url': '__import_meta_url', 'import.meta.dirname': '__dirname' },
  banner: { js: "'use strict';var __import_meta_url=require('url').pathToFileURL(__filename).href;" },
};

const action = await build({
  ...common,
  entryPoints: ['src/index.ts'],
  outfile: 'dist/action.cjs',
  plugins: [replaceModules],
  metafile: true,
});
const loader = await build({
  ...common,
  entryPoints: ['src/loader/index.ts'],
  outfile: 'dist/index.cjs',
  metafile: true,
});
// The notices legalComments: 'none' leaves out of the bundle.
writeLicenses([action.metafile, loader.metafile], 'dist/licenses.txt');
