import * as path from 'node:path';
import { InputError } from '../shared/errors.js';
import { parseList } from './lists.js';

/** Exporters `outputs` takes: a file or folder next to the image, never a registry (that is `push`). */
export const EXPORT_TYPES = ['docker', 'oci', 'local', 'tar'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

/** One `outputs` line: buildx's `--output` value, its `dest` made absolute. */
export interface BuildExport {
  type: ExportType;
  /** Absolute file (docker, oci, tar) or folder (local) the exporter writes. */
  dest: string;
  /** The whole `--output` value, as buildx takes it. */
  value: string;
}

/** `call`: what BuildKit evaluates instead of building; only the build checks are taken. */
export type BuildCall = 'check';

function exportLine(line: string, workingDirectory: string): BuildExport {
  const fields = line.split(',').map((field) => {
    const at = field.indexOf('=');
    return at === -1 ? [field.trim(), ''] : [field.slice(0, at).trim(), field.slice(at + 1).trim()];
  });
  const value = (key: string): string | undefined => fields.find(([name]) => name === key)?.[1];
  const type = value('type');
  if (type === 'registry' || type === 'image') {
    throw new InputError(
      'outputs',
      `"${line}": pushing is this action's own job; name the repository in \`image\` and leave \`push\` true`,
    );
  }
  const known = EXPORT_TYPES.find((name) => name === type);
  if (known === undefined) {
    throw new InputError(
      'outputs',
      `"${line}" is not type=${EXPORT_TYPES.join('|')},dest=path (e.g. type=docker,dest=image.tar)`,
    );
  }
  const dest = value('dest') ?? '';
  if (dest === '' || dest === '-') {
    throw new InputError(
      'outputs',
      `"${line}" names no file: add dest=path (relative to working-directory), e.g. type=${known},dest=${known === 'local' ? 'rootfs' : 'image.tar'}`,
    );
  }
  const absolute = path.resolve(workingDirectory, dest);
  const rest = fields.filter(([name]) => name !== 'dest').map(([name, text]) => `${name}=${text}`);
  return { type: known, dest: absolute, value: [...rest, `dest=${absolute}`].join(',') };
}

/** `outputs`: one buildx `--output` a line; `dest` relative to `workingDirectory`. Pure. */
export function parseExports(text: string, workingDirectory: string): BuildExport[] {
  return parseList(text).map((line) => exportLine(line, workingDirectory));
}

/** `call`: empty (build) or `check` (BuildKit's build checks, no image). Pure. */
export function parseCall(text: string): BuildCall | undefined {
  const value = text.trim().toLowerCase();
  if (value === '' || value === 'build') return undefined;
  if (value === 'check') return 'check';
  throw new InputError(
    'call',
    `"${text.trim()}" is not supported; use check (BuildKit's build checks, nothing built or pushed) or leave it empty`,
  );
}
