// Runs the CommonJS bundle with a V8 code cache taken after a whole run. Node's own compile cache
// stores a module's code as compiled before it runs, so the many functions V8 compiles lazily on
// first call (most of the action's) are compiled again on every start; a cache taken at the end of a
// run holds them too. This is what a warm self-hosted runner gains: about 50 ms per step.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Script } from 'node:vm';

export interface CachedRun {
  /** The bundle to run (CommonJS). */
  file: string;
  /** Where caches are kept; created private to this user when missing. */
  cacheDir: string;
  /** Anything else the compiled code depends on, besides the source and Node's version (main or post). */
  variant: string;
  require: NodeJS.Require;
  /** Told why a cache was not used or not written (for a debug line); never fatal. */
  onProblem?: (problem: string) => void;
}

export interface CacheUse {
  /** The cache file this bundle, Node and variant use. */
  cacheFile: string;
  /** A cache was there and V8 accepted it. */
  used: boolean;
  /** What the bundle put in module.exports. */
  exports: unknown;
  /** Writes the cache when none was used; call it once the run has done its work. */
  save(): void;
}

/**
 * Only a cache the current user alone can write is read: V8 trusts a code cache as it trusts code,
 * and the temporary folder is shared with every other user of the machine.
 */
function privateToUser(file: string): boolean {
  const stats = fs.lstatSync(file);
  const uid = process.getuid?.();
  return (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0 && !stats.isSymbolicLink();
}

function readCache(cacheFile: string, onProblem: (problem: string) => void): Buffer | undefined {
  try {
    if (!privateToUser(path.dirname(cacheFile)) || !privateToUser(cacheFile)) {
      onProblem(`${cacheFile} or its folder may be written by other users: not used`);
      return undefined;
    }
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

function writeCache(cacheFile: string, data: Buffer): void {
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
  if (!privateToUser(path.dirname(cacheFile))) throw new Error(`${path.dirname(cacheFile)} is not private`);
  // Written aside and renamed: a run starting meanwhile reads the old cache or the new, never half.
  const partial = `${cacheFile}.${process.pid}.partial`;
  try {
    fs.writeFileSync(partial, data, { mode: 0o600 });
    fs.renameSync(partial, cacheFile);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

/** The function Node wraps a CommonJS module in. */
const wrap = (source: string): string =>
  `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

/** Compiles and runs `file` as Node runs a CommonJS module, with the cache when there is a good one. */
export function runWithCodeCache(run: CachedRun): CacheUse {
  const onProblem = run.onProblem ?? (() => undefined);
  const source = fs.readFileSync(run.file, 'utf8');
  const key = createHash('sha256')
    .update(`${process.version}\0${process.arch}\0${run.variant}\0`)
    .update(source)
    .digest('hex')
    .slice(0, 32);
  const cacheFile = path.join(run.cacheDir, `${key}.v8cache`);
  const cachedData = readCache(cacheFile, onProblem);
  const script = new Script(wrap(source), { filename: run.file, cachedData });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  if (cachedData !== undefined && !used) onProblem(`V8 rejected ${cacheFile}; it is written anew`);
  const module = { exports: {} };
  const compiled = script.runInThisContext() as (...args: unknown[]) => void;
  compiled(module.exports, run.require, module, run.file, path.dirname(run.file));
  let saved = used;
  return {
    cacheFile,
    used,
    exports: module.exports,
    save() {
      if (saved) return;
      saved = true;
      try {
        writeCache(cacheFile, script.createCachedData());
      } catch (error) {
        onProblem(`could not write ${cacheFile}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
