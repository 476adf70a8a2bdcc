import * as path from 'node:path';
import { InputError } from '../shared/errors.js';
import { parseBoolean, parseList } from './lists.js';
import type { Settings } from './settings.js';

type BuildFlagSettings = Pick<
  Settings,
  | 'ssh'
  | 'noCache'
  | 'noCacheFilters'
  | 'pull'
  | 'buildContexts'
  | 'network'
  | 'addHosts'
  | 'shmSize'
  | 'ulimits'
  | 'provenance'
  | 'sbom'
  | 'annotations'
>;

export type BuildFlagInputName =
  | 'ssh'
  | 'no-cache'
  | 'no-cache-filters'
  | 'pull'
  | 'build-contexts'
  | 'network'
  | 'add-hosts'
  | 'shm-size'
  | 'ulimit'
  | 'provenance'
  | 'sbom'
  | 'annotations';

const STAGE = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const SSH_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
// A context name is a stage-like name or an image reference the Dockerfile's FROM names.
const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_./:@-]*$/;
const NETWORK = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/;
const HOST_ADDRESS = /^([0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*|host-gateway)$/;
const SIZE = /^\d+(\.\d+)?\s?([kmgtp]i?b?|b)?$/i;
const ULIMIT = /^[a-z]+=-?\d+(:-?\d+)?$/;
const ANNOTATION_KEY = /^([a-z-]+(\[[^\]]*\])?(,[a-z-]+(\[[^\]]*\])?)*:)?[A-Za-z0-9][A-Za-z0-9_./-]*$/;

function flag(raw: Record<BuildFlagInputName, string>, name: BuildFlagInputName): boolean {
  if (raw[name].trim() === '') return false;
  const value = parseBoolean(raw[name]);
  if (value === undefined) throw new InputError(name, `"${raw[name]}" is not a boolean; use true or false`);
  return value;
}

/** A list given one item a line, or comma-separated as build-push-action also takes it. */
const csvList = (text: string): string[] => parseList(text.replace(/,/g, '\n'));

function listOf(
  name: BuildFlagInputName,
  items: string[],
  valid: (item: string) => boolean,
  expected: string,
): string[] {
  const bad = items.find((item) => !valid(item));
  if (bad !== undefined) throw new InputError(name, `"${bad}" is not ${expected}`);
  return items;
}

/** `default`, or `id=path[,path]` (an agent socket or keys, relative to `working-directory`). */
function sshInput(text: string, workingDirectory: string): string[] {
  return parseList(text).map((line) => {
    const at = line.indexOf('=');
    const id = at === -1 ? line : line.slice(0, at);
    if (!SSH_ID.test(id)) {
      throw new InputError('ssh', `"${line}" is not \`default\` or id=path (id: letters, digits, _ . -)`);
    }
    if (at === -1) return id;
    const paths = line
      .slice(at + 1)
      .split(',')
      .map((item) => item.trim());
    if (paths.some((item) => item === '')) throw new InputError('ssh', `"${line}" has an empty path`);
    return `${id}=${paths.map((item) => path.resolve(workingDirectory, item)).join(',')}`;
  });
}

function buildContextsInput(text: string): string[] {
  return parseList(text).map((line) => {
    const at = line.indexOf('=');
    const name = at === -1 ? '' : line.slice(0, at);
    const value = at === -1 ? '' : line.slice(at + 1).trim();
    if (!CONTEXT_NAME.test(name) || value === '' || value.startsWith('-')) {
      throw new InputError(
        'build-contexts',
        `"${line}" is not name=path-or-image (e.g. shared=../shared or alpine=docker-image://alpine:3.20)`,
      );
    }
    return `${name}=${value}`;
  });
}

function optional(
  raw: Record<BuildFlagInputName, string>,
  name: BuildFlagInputName,
  valid: RegExp,
  expected: string,
): string | undefined {
  const value = raw[name].trim();
  if (value === '') return undefined;
  if (!valid.test(value)) throw new InputError(name, `"${value}" is not ${expected}`);
  return value;
}

/**
 * `provenance` and `sbom`: `true`, `false`, or the flag's own value (`mode=max`, `generator=IMAGE`),
 * passed to buildx as `--provenance` / `--sbom`. Undefined: not given (buildx's default).
 */
function attestationInput(raw: Record<BuildFlagInputName, string>, name: 'provenance' | 'sbom') {
  const value = raw[name].trim();
  if (value === '') return undefined;
  const bool = parseBoolean(value);
  if (bool !== undefined) return String(bool);
  if (!/^[a-z-]+=[^\s,]+(,[a-z-]+=[^\s,]+)*$/.test(value)) {
    throw new InputError(name, `"${value}" is not true, false or key=value[,key=value] (e.g. mode=max)`);
  }
  return value;
}

/** The buildx flags build-push-action users reach for, validated and normalised. Pure. */
export function parseBuildFlagInputs(
  raw: Record<BuildFlagInputName, string>,
  workingDirectory: string,
): BuildFlagSettings {
  return {
    ssh: sshInput(raw.ssh, workingDirectory),
    noCache: flag(raw, 'no-cache'),
    noCacheFilters: listOf(
      'no-cache-filters',
      csvList(raw['no-cache-filters']),
      (s) => STAGE.test(s),
      'a build stage name',
    ),
    pull: flag(raw, 'pull'),
    buildContexts: buildContextsInput(raw['build-contexts']),
    network: optional(raw, 'network', NETWORK, 'a network mode (default, none, host) or network name'),
    addHosts: listOf(
      'add-hosts',
      csvList(raw['add-hosts']),
      (item) => {
        const at = item.indexOf(':');
        return at > 0 && HOST.test(item.slice(0, at)) && HOST_ADDRESS.test(item.slice(at + 1));
      },
      'host:ip (e.g. db:10.0.0.5)',
    ),
    shmSize: optional(raw, 'shm-size', SIZE, 'a size such as 2g or 512m'),
    ulimits: listOf(
      'ulimit',
      parseList(raw.ulimit),
      (s) => ULIMIT.test(s),
      'name=soft[:hard] (e.g. nofile=1024:2048)',
    ),
    provenance: attestationInput(raw, 'provenance'),
    sbom: attestationInput(raw, 'sbom'),
    annotations: listOf(
      'annotations',
      parseList(raw.annotations),
      (item) => item.indexOf('=') > 0 && ANNOTATION_KEY.test(item.slice(0, item.indexOf('='))),
      'key=value, optionally with its level (e.g. index:org.opencontainers.image.description=My app)',
    ),
  };
}

/** Whether `provenance` or `sbom` asks for an attestation (not merely turns one off). */
export function wantsAttestations(settings: Pick<Settings, 'provenance' | 'sbom'>): boolean {
  return [settings.provenance, settings.sbom].some((value) => value !== undefined && value !== 'false');
}
