import { execFileSync } from 'node:child_process';

export default function globalTeardown(): void {
  execFileSync('bash', ['scripts/e2e-env.sh', 'down'], { stdio: 'ignore' });
}
