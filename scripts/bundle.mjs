// Bundles src/index.ts into dist/index.js, the one file action.yml runs for main and post: minified
// ESM for Node 20 and 24.
import { build } from 'esbuild';
import { writeLicenses } from './licenses.mjs';

// The action makes no HTTP request through the toolkit's HTTP stack (@actions/http-client and
// undici, about 430 kB of an 820 kB bundle), which @actions/github and @actions/core import all the
// same: it is left out. The one Octokit call (the compare API, context/ancestry.ts) is given Node's
// own fetch. @actions/github asks an HttpClient for the runner's proxy when it loads (it gets none
// here); a request through the stack fails with this message instead of being sent.
const unusedHttpStack = `const unused = () => { throw new Error('the toolkit HTTP client is not bundled: this action makes no HTTP requests through it'); };
export class HttpClient { getAgent() { return undefined; } getAgentDispatcher() { return undefined; } request() { unused(); } }
export class BearerCredentialHandler { constructor() { unused(); } }
export class ProxyAgent { constructor() { unused(); } }
export const fetch = () => unused();
`;
const UNUSED = ['@actions/http-client', '@actions/http-client/lib/auth', 'undici'];

const leaveOutUnused = {
  name: 'leave-out-unused-http-stack',
  setup(build) {
    const names = UNUSED.map((name) => name.replace(/[/.]/g, '\\$&'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: args.path,
      namespace: 'unused',
    }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({ loader: 'js', contents: unusedHttpStack }));
  },
};

const bundle = await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [leaveOutUnused],
  metafile: true,
  // Some bundled packages are CommonJS and require Node's modules; an ES module has no `require`.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';const require=__createRequire(import.meta.url);",
  },
});
// The notices legalComments: 'none' leaves out of the bundle.
writeLicenses([bundle.metafile], 'dist/licenses.txt');
