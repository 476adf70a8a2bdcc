// Shared builders for the unit tests: a RefContext, Settings and a scripted fake CommandRunner.
import { readFileSync } from 'node:fs';
import type { RefContext } from '../../src/context/ref-context.js';
import { type Log } from '../../src/shared/log.js';
import type { Command, CommandResult, CommandRunner, RunOptions } from '../../src/shared/command.js';
import type { Settings } from '../../src/inputs/settings.js';
import type { RegistryReader, RemoteRead, RemoteRequest } from '../../src/registry/registry-reader.js';

export const SHA = '0123456789abcdef0123456789abcdef01234567';

/** A push to main with git on the branch; override what a row changes. */
export function refContext(overrides: Partial<RefContext> = {}): RefContext {
  return {
    eventName: 'push',
    ref: 'refs/heads/main',
    sha: SHA,
    commitTime: undefined,
    gitBranch: 'main',
    pullRequest: undefined,
    unnumberedForkHead: undefined,
    repository: 'acme/app',
    repositoryUrl: 'https://github.com/acme/app',
    defaultBranch: 'main',
    runNumber: 7,
    repositoryMetadata: { description: undefined, license: undefined },
    pushedFrom: undefined,
    ...overrides,
  };
}

export function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    images: ['ghcr.io/acme/app'],
    loginRegistry: 'ghcr.io',
    credentials: undefined,
    registryAuth: [],
    loginsWithoutPassword: [],
    tagTemplates: ['{ref}'],
    semver: true,
    latest: 'auto',
    labels: {},
    testCommand: undefined,
    testInImage: undefined,
    workingDirectory: '/ws',
    context: '/ws',
    file: '/ws/Dockerfile',
    buildArgs: [],
    cache: true,
    cacheFrom: [],
    cacheTo: [],
    builder: undefined,
    merge: undefined,
    platforms: [],
    reproducible: true,
    push: true,
    pushForks: false,
    githubToken: undefined,
    dryRun: false,
    retries: 3,
    pushTimeoutSeconds: 600,
    maxSizeIncrease: undefined,
    onCollision: 'fail',
    rebuild: 'always',
    target: undefined,
    secrets: [],
    ssh: [],
    noCache: false,
    noCacheFilters: [],
    pull: false,
    buildContexts: [],
    network: undefined,
    addHosts: [],
    shmSize: undefined,
    ulimits: [],
    provenance: undefined,
    sbom: undefined,
    annotations: [],
    exports: [],
    call: undefined,
    audit: 'warn',
    auditIgnore: [],
    summary: true,
    ...overrides,
  };
}

/** Text of a file in __fixtures__/docker-output. */
export function dockerOutput(name: string): string {
  return readFileSync(new URL(`../../__fixtures__/docker-output/${name}`, import.meta.url), 'utf8');
}

/** The lines of a fixture as the runner's tail holds them. */
export function dockerLines(name: string): string[] {
  return dockerOutput(name).replace(/\n$/, '').split('\n');
}

export function result(exitCode: number, tail: string[] = [], stdout = ''): CommandResult {
  return { exitCode, stdout, tail };
}

/** Records every command and answers with the scripted results, in order; the tail goes to onLine. */
export class FakeRunner implements CommandRunner {
  readonly commands: Command[] = [];
  readonly #results: ((command: Command) => CommandResult | Promise<CommandResult>)[];

  constructor(
    ...results: (CommandResult | ((command: Command) => CommandResult | Promise<CommandResult>))[]
  ) {
    this.#results = results.map((r) => (typeof r === 'function' ? r : () => r));
  }

  async run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    const answer = this.#results[this.commands.length];
    this.commands.push(command);
    if (answer === undefined)
      throw new Error(`unexpected command: ${command.program} ${command.args.join(' ')}`);
    const result = await answer(command);
    for (const line of result.tail) options.onLine?.(line);
    return result;
  }
}

/** An executor Log that keeps the group titles and info lines it is given (a plain object, so it spreads). */
export function recordingLog(): Log & { titles: string[]; infos: string[] } {
  const titles: string[] = [];
  const infos: string[] = [];
  return {
    titles,
    infos,
    group: (title, body) => {
      titles.push(title);
      return body();
    },
    info: (message) => {
      infos.push(message);
    },
    debug: () => undefined,
    notice: () => undefined,
    warning: () => undefined,
  };
}

/** Answers each read in turn, and records what was asked. */
export class FakeReader implements RegistryReader {
  readonly asked: [string, RemoteRequest][] = [];
  readonly #answers: RemoteRead[];
  constructor(...answers: RemoteRead[]) {
    this.#answers = answers;
  }
  read(reference: string, request: RemoteRequest): Promise<RemoteRead> {
    this.asked.push([reference, request]);
    return Promise.resolve(this.#answers.shift() ?? { kind: 'unknown', reason: 'no answer scripted' });
  }
}

/** Execute options whose registry holds none of the tags yet. */
export const NO_TAGS_YET = {
  retries: 0,
  reader: { read: () => Promise.resolve({ kind: 'missing' as const }) },
};
