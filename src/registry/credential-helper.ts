// The one place that starts a process without @actions/exec, and why: a credential helper gets the
// server address on stdin, and one that exits before reading it (not on PATH, or failing at once)
// makes the write fail with EPIPE; @actions/exec writes its `input` with no error listener, so that
// would end the whole action with an uncaught exception. Here the write's error is ignored, and
// the read's deadline (an AbortSignal) stops the helper, which @actions/exec cannot do either.
import { execFile } from 'node:child_process';
import { childEnvironment, findProgram } from '../context/child-env.js';
import { Uncertain } from './uncertain.js';

/** What a helper returned; undefined when it holds nothing for the server (docker then goes anonymous). */
export type HelperCredentials = { username: string; secret: string } | undefined;

// docker-credential-helpers' own words for "nothing stored": exit 1 with this on stdout.
const NOT_FOUND = 'credentials not found in native keychain';

interface HelperResult {
  error: (Error & { code?: unknown; killed?: boolean }) | null;
  stdout: string;
  stderr: string;
}

function run(
  program: string,
  input: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<HelperResult> {
  return new Promise((resolve) => {
    const child = execFile(
      program,
      ['get'],
      { env, signal, encoding: 'utf8', maxBuffer: 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        resolve({ error, stdout, stderr });
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 200);
}

/**
 * Runs `docker-credential-<helper> get` with `serverAddress` on stdin, as docker does. Throws
 * Uncertain when the helper cannot be run or fails.
 */
export async function runCredentialHelper(
  helper: string,
  serverAddress: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<HelperCredentials> {
  if (!/^[\w.-]+$/.test(helper))
    throw new Uncertain(`the credential helper name "${helper}" is not a plain name`);
  const program = `docker-credential-${helper}`;
  const file = findProgram(program, env.PATH);
  if (file === undefined) throw new Uncertain(`${program} is not in any absolute PATH entry`);
  // The same filtered environment as every other child: no INPUT_*, no runner tokens.
  const { error, stdout, stderr } = await run(file, serverAddress, childEnvironment(env), signal);
  if (error !== null) {
    if (signal.aborted) throw new Uncertain(`${program} did not answer in time`);
    if (stdout.trim() === NOT_FOUND) return undefined;
    const said = firstLine(stdout) || firstLine(stderr);
    throw new Uncertain(`${program} failed${said === '' ? '' : `: ${said}`}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new Uncertain(`${program} printed no JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw new Uncertain(`${program} printed no credentials object`);
  const { Username: username, Secret: secret } = parsed as Record<string, unknown>;
  if (typeof username !== 'string' || typeof secret !== 'string') {
    throw new Uncertain(`${program} printed no Username and Secret`);
  }
  if (username === '' && secret === '') return undefined;
  return { username, secret };
}
