import { parseImageRef } from '../../shared/image-reference.js';
import type { Rule } from './rule.js';

/** Every base image (not an earlier stage, not scratch) needs a tag other than latest, or a digest. */
export const unpinnedBase: Rule = ({ stages }) =>
  stages
    .filter(
      (stage) => stage.parent === undefined && stage.image !== '' && stage.image.toLowerCase() !== 'scratch',
    )
    .flatMap((stage) => {
      const ref = parseImageRef(stage.image);
      if (ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== '' && ref.tag !== 'latest'))
        return [];
      const problem = ref.tag === 'latest' ? 'uses the moving tag `latest`' : 'has no tag';
      return [
        {
          rule: 'unpinned-base' as const,
          line: stage.fromLine,
          message: `Base image \`${stage.image}\` ${problem}, so each build may start from a different image: pin a version tag (e.g. \`python:3.12-slim-bookworm\`), and a digest (\`@sha256:...\`) for fully reproducible builds.`,
        },
      ];
    });
