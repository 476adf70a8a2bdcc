import * as path from 'node:path';
import { InputError } from '../shared/errors.js';
import { parseList } from './lists.js';
import { Secret } from '../shared/secret.js';

/** Where BuildKit reads a build secret (`RUN --mount=type=secret,id=…`) from. */
export type BuildSecret =
  /** `secrets`: the value itself; it reaches the build through that process's environment only. */
  | { id: string; source: 'value'; value: Secret }
  /** `secret-files`: an absolute path to a file buildx reads. */
  | { id: string; source: 'file'; path: string }
  /** `secret-envs`: a variable of the step's environment buildx reads. */
  | { id: string; source: 'env'; variable: string };

// BuildKit's own rule for a secret id is loose; these are the ids a Dockerfile can name without quoting.
const SECRET_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One entry of `secrets`; `closed` is false when its opening quote has no closing one. */
interface SecretEntry {
  text: string;
  closed: boolean;
}

/**
 * The entries of `secrets`: one `id=value` per line, or a whole entry in double quotes, which may
 * span lines and keeps its spaces (`""` is one quote), as build-push-action reads it. Comment lines
 * are not skipped: a value may start with `#`.
 */
export function secretEntries(text: string): SecretEntry[] {
  const source = text.replace(/\r\n?/g, '\n');
  const entries: SecretEntry[] = [];
  let at = 0;
  while (at < source.length) {
    if (/\s/.test(source.charAt(at))) {
      at++;
      continue;
    }
    if (source.charAt(at) !== '"') {
      const end = source.indexOf('\n', at) === -1 ? source.length : source.indexOf('\n', at);
      entries.push({ text: source.slice(at, end).trim(), closed: true });
      at = end;
      continue;
    }
    let value = '';
    let closed = false;
    for (at++; at < source.length; at++) {
      const char = source.charAt(at);
      if (char === '"' && source.charAt(at + 1) === '"') {
        value += '"';
        at++;
      } else if (char === '"') {
        closed = true;
        at++;
        break;
      } else value += char;
    }
    entries.push({ text: value, closed });
  }
  return entries;
}

/** Every value the `secrets` input holds, for masking; forgiving, as it runs before any check. */
export function secretValuesToMask(text: string): string[] {
  const values = secretEntries(text).map(({ text: entry }) => {
    const at = entry.indexOf('=');
    return at === -1 ? entry : entry.slice(at + 1);
  });
  return maskForms(values);
}

/**
 * What to mask so that no form of these values shows: the runner masks the log line by line, so a
 * multi-line value is masked whole and in each of its lines (as they are, and trimmed).
 */
export function maskForms(values: readonly string[]): string[] {
  const lines = values.flatMap((value) => value.split('\n').flatMap((line) => [line, line.trim()]));
  return [...new Set([...values, ...lines])].filter((value) => value.trim() !== '');
}

function splitEntry(input: string, entry: string, position: number, shown: boolean): [string, string] {
  const at = entry.indexOf('=');
  const id = at === -1 ? '' : entry.slice(0, at).trim();
  // Never quote a `secrets` line in an error: it holds the value.
  const which = shown ? `line "${entry}"` : `entry ${position}`;
  if (at === -1 || !SECRET_ID.test(id)) {
    throw new InputError(input, `${which} is not id=… (an id of letters, digits, _ . - before the first =)`);
  }
  return [id, entry.slice(at + 1)];
}

function uniqueIds(secrets: BuildSecret[]): BuildSecret[] {
  const seen = new Map<string, BuildSecret['source']>();
  for (const secret of secrets) {
    const earlier = seen.get(secret.id);
    if (earlier !== undefined) {
      const inputOf = { value: 'secrets', file: 'secret-files', env: 'secret-envs' } as const;
      throw new InputError(
        inputOf[secret.source],
        `secret id "${secret.id}" is given twice (also in \`${inputOf[earlier]}\`); each id once`,
      );
    }
    seen.set(secret.id, secret.source);
  }
  return secrets;
}

/** `secrets`, `secret-files` and `secret-envs`; paths relative to `workingDirectory`. Pure. */
export function parseSecretInputs(
  raw: Record<'secrets' | 'secret-files' | 'secret-envs', string>,
  workingDirectory: string,
): BuildSecret[] {
  const values = secretEntries(raw.secrets).map((entry, index): BuildSecret => {
    if (!entry.closed) {
      throw new InputError('secrets', `entry ${index + 1} opens a double quote that is never closed`);
    }
    // An empty value is kept here and skipped with a notice (empty-secrets.ts): a fork's secrets are empty.
    const [id, value] = splitEntry('secrets', entry.text, index + 1, false);
    return { id, source: 'value', value: new Secret(value) };
  });
  const files = parseList(raw['secret-files']).map((line, index): BuildSecret => {
    const [id, file] = splitEntry('secret-files', line, index + 1, true);
    if (file.trim() === '') throw new InputError('secret-files', `secret "${id}" names no file`);
    return { id, source: 'file', path: path.resolve(workingDirectory, file.trim()) };
  });
  const envs = parseList(raw['secret-envs'].replace(/,/g, '\n')).map((line, index): BuildSecret => {
    const [id, variable] = splitEntry('secret-envs', line, index + 1, true);
    if (!ENV_NAME.test(variable.trim())) {
      throw new InputError(
        'secret-envs',
        `"${variable}" (secret "${id}") is not an environment variable name (letters, digits, _)`,
      );
    }
    return { id, source: 'env', variable: variable.trim() };
  });
  return uniqueIds([...values, ...files, ...envs]);
}
