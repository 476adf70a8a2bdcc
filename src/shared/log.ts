import * as core from '@actions/core';

/** Where the stages report progress; main passes `actionLog`, tests a recorder. */
export interface Log {
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  /** Shown only with step debug logging (RUNNER_DEBUG). */
  debug(message: string): void;
}

/** The job's log through @actions/core: groups, lines, and (with step debug logging) details. */
export const actionLog: Log = {
  group: (title, body) => core.group(title, body),
  info: (message) => {
    core.info(message);
  },
  notice: (message) => {
    core.notice(message);
  },
  warning: (message) => {
    core.warning(message);
  },
  debug: (message) => {
    core.debug(message);
  },
};

/** A line a pure stage hands back for the log, where it would otherwise have to log itself. */
export interface Note {
  level: 'info' | 'notice' | 'warning';
  message: string;
}

/** Writes the notes to the log, in their order. */
export function tell(log: Pick<Log, Note['level']>, notes: readonly Note[]): void {
  for (const { level, message } of notes) log[level](message);
}
