// The tags stage: what the job's image is called and carries, and the settings the rest of the run
// takes from the names (build-args filled) and the ref (a fork's pull request pushes nothing).
import type { RefContext } from '../context/ref-context.js';
import type { Settings } from '../inputs/settings.js';
import type { Note } from '../shared/log.js';
import { decidePush } from './fork-rules.js';
import { laterNames } from './platform-tags.js';
import { type ImageNames, imageNames } from './resolve-tags.js';

export interface JobNames {
  /** The settings the facts and the plan take. */
  settings: Settings;
  names: ImageNames;
  notes: Note[];
}

/**
 * A build job's names; a `merge: later` job pushes its platform tags only, its labels staying those of
 * the merged image. A merge job (`merge: <platforms>`) takes the names as they are and no build-args.
 */
export function jobNames(settings: Settings, context: RefContext, now: Date): JobNames {
  const names = imageNames(settings, context, now);
  const decision = decidePush(settings, context); // a fork's pull request pushes nothing
  const notes: Note[] = decision.notice === undefined ? [] : [{ level: 'notice', message: decision.notice }];
  if (settings.merge?.kind === 'platforms') return { settings: decision.settings, names, notes };
  for (const { line, placeholder } of names.buildArgs.skipped) {
    notes.push({
      level: 'info',
      message: `Build argument "${line}" left out: {${placeholder}} has no value on this run (the Dockerfile's ARG default applies).`,
    });
  }
  return {
    settings: { ...decision.settings, buildArgs: names.buildArgs.args },
    names:
      settings.merge?.kind === 'later'
        ? laterNames(names, settings.images, context, settings.platforms)
        : names,
    notes,
  };
}
