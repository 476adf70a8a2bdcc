import { type OsPackageCommand, osPackageCommand } from '../os-packages.js';
import { type RunStep, runSteps } from '../run-steps.js';
import { list, say } from '../message.js';
import type { Rule } from './rule.js';

const BUILD_TOOL =
  /^(build-essential|build-base|gcc|g\+\+|cpp|clang|gfortran|make|cmake|autoconf|automake|libtool|pkg-config|pkgconf)(-[\d.]+)?$/;

function isBuildTool(name: string): boolean {
  return BUILD_TOOL.test(name) || /-(dev|devel)$/.test(name);
}

/** Build tools this RUN installs and does not remove again (by name, or as an apk virtual package). */
function buildToolsLeft({ commands }: RunStep): string[] {
  const packages = commands
    .map(osPackageCommand)
    .filter((command): command is OsPackageCommand => command !== undefined);
  const removed = new Set(
    packages.filter((command) => command.action === 'remove').flatMap((command) => command.packages),
  );
  return packages
    .filter(
      (command) =>
        command.action === 'install' && !(command.virtual !== undefined && removed.has(command.virtual)),
    )
    .flatMap((command) => command.packages)
    .filter((name) => isBuildTool(name) && !removed.has(name));
}

/** A single-stage build must not leave compilers and -dev packages in the image. */
export const buildToolsInFinal: Rule = ({ stages, final }) => {
  if (stages.length !== 1) return [];
  return runSteps(final).flatMap((run) => {
    const tools = buildToolsLeft(run);
    if (tools.length === 0) return [];
    return [
      {
        rule: 'build-tools-in-final' as const,
        line: run.step.line,
        message: say`Build tools stay in the final image: ${list(tools)}. Use a multi-stage build: install them and build wheels in a builder stage, then copy only the results (e.g. \`COPY --from=build /wheels /wheels\`) into a clean final stage.`,
      },
    ];
  });
};
