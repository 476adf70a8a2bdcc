import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';

/**
 * The classic builder turns every `--label` into a LABEL step of its own, each committing an image:
 * with the action's seven labels that is most of a rebuild's time. Instead it gets a copy of the
 * Dockerfile with all labels in one LABEL instruction at the end of the stage it builds. Pure.
 */
export function labelledDockerfile(
  text: string,
  labels: Readonly<Record<string, string>>,
  target: string | undefined,
): string {
  const pairs = Object.entries(labels);
  if (pairs.length === 0) return text;
  const dockerfile = DockerfileParser.parse(text);
  const escape = dockerfile.getEscapeCharacter();
  // Quoted, with the file's escape character before itself, `"` and `$` (no variable expansion).
  const special = escape === '`' ? /[`"$]/g : /[\\"$]/g;
  const quote = (value: string): string =>
    `"${value.replace(/[\r\n]+/g, ' ').replace(special, (c) => `${escape}${c}`)}"`;
  const label = `LABEL ${pairs.map(([key, value]) => `${quote(key)}=${quote(value)}`).join(' ')}`;

  const froms = dockerfile.getFROMs();
  const wanted = target?.toLowerCase();
  const targetIndex = froms.findIndex((from) => from.getBuildStage()?.toLowerCase() === wanted);
  const next = wanted === undefined || targetIndex === -1 ? undefined : froms[targetIndex + 1];
  if (next === undefined) return `${text.endsWith('\n') ? text : `${text}\n`}${label}\n`;
  const lines = text.split('\n');
  const at = next.getRange().start.line;
  return [...lines.slice(0, at), label, ...lines.slice(at)].join('\n');
}

/** Where the labelled copy goes in the job's folder. */
export function labelledDockerfilePath(jobDir: string): string {
  return path.join(jobDir, 'Dockerfile.labelled');
}

/**
 * Writes the labelled copy into the job's folder (not in a dry run) and returns its path. `text` is
 * the Dockerfile's when already read (the audit read it): the build then uses what was audited.
 */
export async function writeLabelledDockerfile(
  file: string,
  labels: Readonly<Record<string, string>>,
  target: string | undefined,
  jobDir: string,
  dryRun: boolean,
  text?: string,
): Promise<string> {
  const copy = labelledDockerfilePath(jobDir);
  if (dryRun) return copy;
  await writeFile(copy, labelledDockerfile(text ?? (await readFile(file, 'utf8')), labels, target));
  return copy;
}
