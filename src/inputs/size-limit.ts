import { InputError } from '../shared/errors.js';

/** How much the image may grow against the default branch's: a share of its size, or bytes. */
export type SizeLimit = { kind: 'percent'; percent: number } | { kind: 'bytes'; bytes: number };

/** Units as docker prints sizes (powers of 1000), and the binary ones people also write. */
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** `max-size-increase`: `10%`, `50MB`, `1.5 GiB`; empty: no limit. */
export function parseSizeLimit(text: string): SizeLimit | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
  if (percent?.[1] !== undefined) return { kind: 'percent', percent: Number(percent[1]) };
  const size = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(value);
  const unit = size?.[2] === undefined ? undefined : UNITS[size[2].toLowerCase()];
  if (size?.[1] !== undefined && unit !== undefined) return { kind: 'bytes', bytes: Number(size[1]) * unit };
  throw new InputError(
    'max-size-increase',
    `"${value}" is neither a percentage nor a size; write e.g. 10% or 50MB (units: B, kB, MB, GB, KiB, MiB, GiB)`,
  );
}
