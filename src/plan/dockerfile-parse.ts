import { type Dockerfile, DockerfileParser } from 'dockerfile-ast';

let last: { text: string; parsed: Dockerfile } | undefined;

/**
 * dockerfile-ast's parse of `text`, made once for the run: the settings' check, the audit and the
 * classic builder's labelled copy all read the same Dockerfile. The parse is only ever read.
 */
export function parsedDockerfile(text: string): Dockerfile {
  if (last?.text !== text) last = { text, parsed: DockerfileParser.parse(text) };
  return last.parsed;
}
