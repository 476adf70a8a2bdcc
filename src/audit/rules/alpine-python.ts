import { lineage } from '../../plan/dockerfile-model.js';
import { parseImageRef, repositoryBaseName } from '../../shared/image-reference.js';
import { isPythonStage } from '../run-steps.js';
import { code, say } from '../message.js';
import type { Rule } from './rule.js';

function isAlpine(image: string): boolean {
  const ref = parseImageRef(image);
  return repositoryBaseName(ref) === 'alpine' || (ref.tag ?? '').includes('alpine');
}

/** A Python stage must not start from an Alpine image. */
export const alpinePython: Rule = ({ stages }) =>
  stages
    .filter((stage) => stage.parent === undefined && isAlpine(stage.image))
    .filter((base) => stages.some((stage) => lineage(stage).includes(base) && isPythonStage(stage)))
    .map((stage) => ({
      rule: 'alpine-python' as const,
      line: stage.fromLine,
      message: say`${code(stage.image)} is Alpine (musl): most Python wheels on PyPI are built for glibc, so pip compiles packages from source, which is slow and needs compilers. Use a Debian-based image such as \`python:3.12-slim-bookworm\`.`,
    }));
