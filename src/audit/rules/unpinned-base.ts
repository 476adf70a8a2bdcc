import { parseImageRef } from '../../shared/image-reference.js';
import { code, say } from '../message.js';
import type { Rule } from './rule.js';

/**
 * Every base image (not an earlier stage, not scratch) needs a tag other than latest, or a digest.
 * A base the audit cannot resolve is left alone.
 */
export const unpinnedBase: Rule = ({ stages, unknownBases }) =>
  stages
    .filter(
      (stage) =>
        stage.parent === undefined &&
        !unknownBases.has(stage) &&
        stage.image !== '' &&
        stage.image.toLowerCase() !== 'scratch',
    )
    .flatMap((stage) => {
      const ref = parseImageRef(stage.image);
      if (ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== '' && ref.tag !== 'latest'))
        return [];
      const problem = ref.tag === 'latest' ? say`uses the moving tag \`latest\`` : say`has no tag`;
      return [
        {
          rule: 'unpinned-base' as const,
          line: stage.fromLine,
          message: say`Base image ${code(stage.image)} ${problem}, so each build may start from a different image: pin a version tag (e.g. \`python:3.12-slim-bookworm\`), and a digest (\`@sha256:...\`) for fully reproducible builds.`,
        },
      ];
    });
