// Bundles src/index.ts into one minified ESM file (dist/action.js) that runs on Node 20 and 24,
// and writes the entry action.yml names (dist/index.js), which loads it through Node's compile cache.
import { build } from 'esbuild';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

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

await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/action.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [replaceModules],
  // Bundled CommonJS dependencies call require(); ESM output has none unless we make one.
  banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
});

// Node 22.1+ keeps V8's compiled code of the bundle on disk (NODE_COMPILE_CACHE, else the system's
// temp folder), so a runner that keeps its temp folder (self-hosted) starts the action faster. The
// cache holds only compiled code of this bundle, checked against its contents and Node's version.
await writeFile(
  'dist/index.js',
  `// Written by scripts/bundle.mjs: the entry of the action, the code is in action.js.
import module from 'node:module';
module.enableCompileCache?.();
await import('./action.js');
`,
);
