import { InputError } from '../shared/errors.js';
import { parseList } from './lists.js';

/** Every audit rule id; docs/audit.md explains each one and its fix. */
export const RULE_IDS = [
  'root-user',
  'unpinned-base',
  'alpine-python',
  'no-faulthandler',
  'copy-before-install',
  'unpinned-pip',
  'build-tools-in-final',
  'apt-recommends',
  'apt-lists',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const AUDIT_MODES = ['warn', 'error', 'off'] as const;
export type AuditMode = (typeof AUDIT_MODES)[number];

export function isRuleId(text: string): text is RuleId {
  return (RULE_IDS as readonly string[]).includes(text);
}

/** `audit`: warn (the default), error or off. */
export function auditInput(text: string): AuditMode {
  const value = text.trim().toLowerCase() || 'warn';
  const mode = AUDIT_MODES.find((known) => known === value);
  if (mode === undefined)
    throw new InputError('audit', `"${text.trim()}" is not one of ${AUDIT_MODES.join(', ')}`);
  return mode;
}

/** `audit-ignore`: rule ids, one per line or separated by commas or spaces. */
export function auditIgnoreInput(text: string): RuleId[] {
  const words = parseList(text).flatMap((line) => line.split(/[\s,]+/).filter((word) => word !== ''));
  const ids: RuleId[] = [];
  for (const word of words) {
    if (!isRuleId(word)) {
      throw new InputError(
        'audit-ignore',
        `"${word}" is not an audit rule id; known ids: ${RULE_IDS.join(', ')}`,
      );
    }
    if (!ids.includes(word)) ids.push(word);
  }
  return ids;
}
