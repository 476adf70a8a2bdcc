import { localLayers } from '../docker/image-layers.js';
import { formatBytes, formatGrowth, growth, type SizeChange, sizeChange } from '../docker/size-change.js';
import { InputError } from '../shared/errors.js';
import type { SizeLimit } from '../inputs/size-limit.js';
import type { Step } from '../plan/plan.js';
import type { CommandResult, CommandRunner } from '../shared/command.js';
import type { RegistryReader } from '../registry/registry-reader.js';
import type { RunRecord } from '../record/run-record.js';
import type { Log } from '../shared/log.js';

type SizeCheck = Step & { kind: 'size-check' };

/** Whether the growth is more than the limit allows. */
export function exceeds(change: SizeChange, limit: SizeLimit): boolean {
  const { bytes, percent } = growth(change);
  if (limit.kind === 'bytes') return bytes > limit.bytes;
  return percent === undefined ? bytes > 0 : percent > limit.percent;
}

function limitText(limit: SizeLimit): string {
  return limit.kind === 'percent' ? `${limit.percent} %` : formatBytes(limit.bytes);
}

/** The built image's layers with their unpacked sizes and instructions; undefined when docker cannot tell. */
async function builtLayers(step: SizeCheck, runner: CommandRunner) {
  const [history, layers] = await Promise.all([
    runner.run(step.command, { silent: true }),
    runner.run(step.layers, { silent: true }),
  ]);
  if (history.exitCode !== 0 || layers.exitCode !== 0) return undefined;
  try {
    return localLayers(history.stdout, JSON.parse(layers.stdout) as string[]);
  } catch {
    return undefined;
  }
}

/**
 * Sets the built image's size against the default branch's image (recorded for the summary), and
 * stops the run before any push when `max-size-increase` is exceeded. A comparison that cannot be
 * made (no such image yet, an unreadable registry) is only logged.
 */
export async function checkSize(
  step: SizeCheck,
  runner: CommandRunner,
  reader: RegistryReader,
  record: RunRecord,
  log: Log,
): Promise<CommandResult> {
  const done = { exitCode: 0, stdout: '', tail: [] };
  const [previous, built] = await Promise.all([
    reader.read(step.reference, step.remote),
    builtLayers(step, runner),
  ]);
  if (previous.kind === 'found') record.defaultImageLabels = previous.labels;
  const before = previous.kind === 'found' ? previous.layers : undefined;
  if (before === undefined || built === undefined) {
    const why =
      previous.kind === 'missing'
        ? `${step.reference} is not in the registry`
        : before === undefined
          ? `the layers of ${step.reference} could not be read`
          : "the built image's layers could not be paired with its history";
    log.info(`No size comparison: ${why}.`);
    return done;
  }
  const change = sizeChange(step.reference, before, built);
  record.sizeChange = change;
  log.info(`Size: ${formatGrowth(change)}.`);
  if (step.limit !== undefined && exceeds(change, step.limit)) {
    throw new InputError(
      'max-size-increase',
      `the image grew by ${formatGrowth(change)}, more than the ${limitText(step.limit)} allowed; nothing was pushed. Make the image smaller (the summary lists the layers that grew most), or raise \`max-size-increase\``,
    );
  }
  return done;
}
