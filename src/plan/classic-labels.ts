import { DockerfileParser } from 'dockerfile-ast';

/**
 * The classic builder turns every `--label` into a LABEL step of its own, each committing an image
 * (measured on Docker 20.10: `DOCKER_BUILDKIT=0 docker build --label a=1 --label b=2 --label c=3`
 * prints `Step 3/5 : LABEL a=1` … `Step 5/5 : LABEL c=3`, three intermediate containers): with the
 * action's seven labels that is most of a rebuild's time. Instead it builds from a copy of the
 * Dockerfile, written in the job's folder, with all labels in one LABEL instruction at the end of
 * the stage it builds. Pure: this returns the copy's text.
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
