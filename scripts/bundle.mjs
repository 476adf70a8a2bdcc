// Bundles src/index.ts into one minified ESM file that runs on Node 20 and 24.
import { build } from 'esbuild';
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
  outfile: 'dist/index.js',
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
