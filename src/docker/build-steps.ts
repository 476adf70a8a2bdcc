// BuildKit's plain progress, step by step: which steps came from the cache and how long each took.

/** One Dockerfile step as BuildKit printed it (`#7 [builder 3/4] COPY requirements.txt /src/`). */
export interface BuildStep {
  /** buildx's stage label (`builder`, `stage-1`); undefined for a one-stage build (`[2/3]`). */
  stage: string | undefined;
  /** The step's number in its stage (2 in `2/4`). */
  index: number;
  instruction: string;
  cached: boolean;
  /** Seconds from `DONE 2.1s`; 0 when not printed (cached, or the build stopped). */
  seconds: number;
}

const HEADER = /^#(\d+) \[(?!internal\]|auth\])(?:(\S+(?: \S+)*) )?(\d+)\/\d+\] (.+)$/;
const DONE = /^#(\d+) DONE (\d+(?:\.\d+)?)s$/;
const CACHED = /^#(\d+) CACHED$/;
/**
 * A step BuildKit took from a registry cache on a machine without it prints the layer's download
 * and extraction instead of CACHED (`#9 sha256:ab… 167B / 167B 0.0s done`, `#9 extracting sha256:…`).
 */
const FROM_REGISTRY = /^#(\d+) (?:extracting )?sha256:[0-9a-f]{64}\b/;

/** Collects the steps line by line as the build prints them (vertex ids repeat as output resumes). */
export class BuildSteps {
  readonly #steps = new Map<string, BuildStep>();

  add(line: string): void {
    const text = line.trim();
    const header = HEADER.exec(text);
    if (header?.[1] !== undefined && header[4] !== undefined && !this.#steps.has(header[1])) {
      const instruction = header[4];
      if (/^FROM\s/i.test(instruction)) return;
      this.#steps.set(header[1], {
        stage: header[2],
        index: Number(header[3]),
        instruction,
        cached: false,
        seconds: 0,
      });
      return;
    }
    const cached = CACHED.exec(text)?.[1] ?? FROM_REGISTRY.exec(text)?.[1];
    const step = cached === undefined ? undefined : this.#steps.get(cached);
    if (step !== undefined) step.cached = true;
    const done = DONE.exec(text);
    const finished = done?.[1] === undefined ? undefined : this.#steps.get(done[1]);
    if (finished !== undefined) finished.seconds = Number(done?.[2] ?? 0);
  }

  all(): BuildStep[] {
    return [...this.#steps.values()];
  }
}

/** Per stage that ran steps: its first step not from the cache, and the seconds it spent from there. */
export interface FirstMiss {
  step: BuildStep;
  seconds: number;
}

export function firstMisses(steps: readonly BuildStep[]): FirstMiss[] {
  const stages = [...new Set(steps.map((step) => step.stage))];
  return stages.flatMap((stage) => {
    const own = steps.filter((step) => step.stage === stage).sort((a, b) => a.index - b.index);
    const first = own.find((step) => !step.cached);
    if (first === undefined) return [];
    const seconds = own
      .filter((step) => step.index >= first.index)
      .reduce((sum, step) => sum + step.seconds, 0);
    return [{ step: first, seconds }];
  });
}
