// A "fresh runner" for one test's build alone: the daemon is shared, so only the build cache records
// this test made go, never all of it (`docker builder prune --all` would slow everyone else's tests).
import { docker } from './workspace.js';

interface CacheRecord {
  id: string;
  parents: string[];
  description: string;
}

/**
 * The records `docker buildx du --verbose` lists: blocks of `Key: value` lines; newer buildx lists
 * `Parents:` as ` - id` lines under the key, older buildx one `Parent: id`.
 */
function cacheRecords(env: Record<string, string>): CacheRecord[] {
  const text = docker(['buildx', 'du', '--verbose'], env);
  return text.split(/\n\s*\n/).flatMap((block) => {
    const lines = block.split('\n');
    const value = (key: string) =>
      lines.flatMap((line) => {
        const field = /^([A-Za-z ]+):\s*(.*)$/.exec(line);
        return field?.[1] === key && field[2] !== undefined ? [field[2].trim()] : [];
      });
    const id = value('ID')[0];
    if (id === undefined) return [];
    const listed = lines.flatMap((line) => /^\s+-\s+(\S+)$/.exec(line)?.[1] ?? []);
    const parents = [...value('Parent'), ...listed].filter(Boolean);
    return [{ id, parents, description: value('Description').join(' ') }];
  });
}

/**
 * Removes the build cache records whose description holds `marker` (a RUN step of this test's own
 * Dockerfile), and every record built on them, children first.
 */
export function pruneBuildCache(marker: string, env: Record<string, string>): void {
  let left: CacheRecord[] = [];
  for (let round = 0; round < 8; round++) {
    const records = cacheRecords(env);
    const doomed = new Set(records.filter((r) => r.description.includes(marker)).map((r) => r.id));
    for (let grown = true; grown;) {
      grown = false;
      for (const record of records) {
        if (!doomed.has(record.id) && record.parents.some((parent) => doomed.has(parent))) {
          doomed.add(record.id);
          grown = true;
        }
      }
    }
    if (doomed.size === 0) return;
    left = records.filter((record) => doomed.has(record.id));
    // Filters of one key must all match, so one prune per record; a parent goes once its children have.
    for (const id of [...doomed].reverse())
      docker(['buildx', 'prune', '--force', '--all', '--filter', `id=${id}`], env);
  }
  throw new Error(`build cache records of ${marker} are still there after pruning: ${JSON.stringify(left)}`);
}
