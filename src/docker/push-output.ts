// What `docker push` prints: the pushed digest, or a registry's refusal.
const DIGEST_LINE = /^(\S+): digest: (sha256:[0-9a-f]{64}) size: \d+/;

/** The digest `docker push` reports for the tag it pushed. */
export function parsePushDigest(lines: readonly string[], tag: string): string | undefined {
  for (const line of [...lines].reverse()) {
    const match = DIGEST_LINE.exec(line.trim());
    if (match?.[1] === tag && match[2] !== undefined) return match[2];
  }
  return undefined;
}

const AUTH_REFUSAL =
  /unauthorized|authentication required|no basic auth credentials|insufficient_scope|denied|forbidden/i;

/** Whether a registry refused a push for missing or insufficient credentials. */
export function isAuthRefusal(lines: readonly string[]): boolean {
  return lines.some((line) => AUTH_REFUSAL.test(line));
}
