import { DockerfileParser } from 'dockerfile-ast';

/** Build arguments every builder accepts without an ARG (proxies, BuildKit's own switches). */
const PREDEFINED = /^(?:(?:HTTP|HTTPS|FTP|NO|ALL)_PROXY|(?:http|https|ftp|no|all)_proxy|BUILDKIT_\w+)$/;

/** Keys of `KEY=VALUE` build arguments that no ARG in the Dockerfile declares, in input order. */
export function undeclaredBuildArgs(dockerfile: string, buildArgs: readonly string[]): string[] {
  if (buildArgs.length === 0) return [];
  const declared = new Set(
    DockerfileParser.parse(dockerfile)
      .getInstructions()
      .filter((instruction) => instruction.getKeyword() === 'ARG')
      .flatMap((instruction) =>
        instruction.getArguments().map((arg) => arg.getValue().split('=', 1)[0] ?? ''),
      ),
  );
  const keys = buildArgs.map((arg) => arg.split('=', 1)[0] ?? '');
  return keys.filter(
    (key, index) => !declared.has(key) && !PREDEFINED.test(key) && keys.indexOf(key) === index,
  );
}
