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
