// The entry action.yml names (bundled to dist/index.cjs): runs the action's bundle, dist/action.cjs,
// through a code cache kept in the temporary folder, which a self-hosted runner keeps between jobs.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { State } from '../execute/state.js';
import { runWithCodeCache } from './code-cache.js';

const debug = (message: string): void => {
  // Synchronous: the cache is written while the process exits.
  const escaped = message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  writeSync(1, `::debug::Code cache: ${escaped}\n`);
};

const cache = runWithCodeCache({
  file: path.join(import.meta.dirname, 'action.cjs'),
  cacheDir: path.join(os.tmpdir(), 'build-test-push-action-v8'),
  variant: process.env[`STATE_${State.IsPost}`] === 'true' ? 'post' : 'main',
  require: createRequire(import.meta.url),
  onProblem: debug,
});
// Taken at the end, the cache holds every function the run compiled, not only the top level.
process.once('exit', () => {
  cache.save();
});
