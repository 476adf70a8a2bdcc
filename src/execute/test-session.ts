// What the test command leaves running is ended before anything logs in: a process left behind
// (`loop &`, `setsid`, `nohup`) would otherwise see the job's login and the build's secrets.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Set in the test command's environment to its session file's path (unique to the run). Every
 * process it starts inherits it, through `setsid`, `nohup` and double forks alike.
 */
export const TEST_SESSION_VARIABLE = 'BUILD_TEST_PUSH_TEST_SESSION';

/** How long what the test left gets to end after SIGTERM, before SIGKILL. */
export const GRACE_MS = 2000;
const POLL_MS = 100;
/** SIGKILL rounds: a process forked between a scan and the kill is found by the next scan. */
const KILL_ROUNDS = 10;

/** The fields of /proc/<pid>/stat read here. */
export interface ProcessStat {
  state: string;
  session: number;
}

/** Parses /proc/<pid>/stat: `pid (comm) state ppid pgrp session ...`; comm may hold spaces and parentheses. */
export function parseStat(text: string): ProcessStat | undefined {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const session = Number(fields[3]);
  if (fields[0] === undefined || fields[0] === '' || !Number.isInteger(session)) return undefined;
  return { state: fields[0], session };
}

/** Whether a NUL-separated environment (/proc/<pid>/environ) holds `name=value` exactly. */
export function carries(environ: string, name: string, value: string): boolean {
  return environ.split('\0').includes(`${name}=${value}`);
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // ended meanwhile, or another user's
  }
}

/**
 * The live processes that belong to the test run: those in its session, and those whose
 * environment carries its marker (they left the session with `setsid`). Never this process.
 */
export function testProcesses(marker: string, session: number | undefined, proc = '/proc'): number[] {
  let names: string[];
  try {
    names = readdirSync(proc);
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const stat = parseStat(read(`${proc}/${name}/stat`) ?? '');
    if (stat === undefined || stat.state === 'Z') continue;
    const environ = () => read(`${proc}/${name}/environ`) ?? '';
    if (stat.session === session || carries(environ(), TEST_SESSION_VARIABLE, marker))
      found.push(Number(name));
  }
  return found;
}

function signal(pids: readonly number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }
}

/** The test's session id as its leader wrote it (undefined when it never started). */
export function readSession(sessionFile: string): number | undefined {
  const id = Number((read(sessionFile) ?? '').trim());
  return Number.isInteger(id) && id > 1 ? id : undefined;
}

/**
 * Ends every process the test command left running: SIGTERM, then SIGKILL to what is still there
 * after `graceMs`. Returns how many processes it signalled.
 */
export async function endTestProcesses(
  sessionFile: string,
  graceMs = GRACE_MS,
  proc = '/proc',
): Promise<number> {
  const session = readSession(sessionFile);
  const scan = () => testProcesses(sessionFile, session, proc);
  const ended = new Set<number>(scan());
  if (ended.size === 0) return 0;
  signal([...ended], 'SIGTERM');
  for (let waited = 0; waited < graceMs && scan().length > 0; waited += POLL_MS) await sleep(POLL_MS);
  for (let round = 0; round < KILL_ROUNDS; round++) {
    const left = scan();
    if (left.length === 0) break;
    left.forEach((pid) => ended.add(pid));
    signal(left, 'SIGKILL');
    await sleep(POLL_MS / 10);
  }
  return ended.size;
}
