import { execFileSync } from 'node:child_process';

/**
 * Bundles dist/ (so the tests never run a stale bundle) and brings up dockerd and the loopback
 * registries. A missing piece fails the run with what to install; these tests never skip.
 */
export default function globalSetup(): void {
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
  try {
    execFileSync('bash', ['scripts/e2e-env.sh', 'up'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`End-to-end environment could not start:\n${stderr}`, { cause: error });
  }
}
