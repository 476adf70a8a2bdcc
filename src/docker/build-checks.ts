// What `docker buildx build --call=check,format=json` prints: BuildKit's build check warnings.

/** One warning of BuildKit's build checks, with the Dockerfile lines it is about. */
export interface BuildCheck {
  rule: string;
  /** The rule's one-line description. */
  description: string;
  /** What is wrong at this place. */
  detail: string;
  url: string | undefined;
  /** First and last Dockerfile line (from 1); undefined when the check names none. */
  startLine: number | undefined;
  endLine: number | undefined;
}

interface CheckJson {
  ruleName?: unknown;
  description?: unknown;
  detail?: unknown;
  url?: unknown;
  location?: { ranges?: { start?: { line?: unknown }; end?: { line?: unknown } }[] };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const line = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;

/** The warnings of the JSON the check printed; undefined when stdout holds no such JSON. */
export function parseBuildChecks(stdout: string): BuildCheck[] | undefined {
  const start = stdout.indexOf('{');
  if (start === -1) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(stdout.slice(start));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const warnings = (json as { warnings?: unknown }).warnings ?? [];
  if (!Array.isArray(warnings)) return undefined;
  return warnings.map((warning: CheckJson) => {
    const range = warning.location?.ranges?.[0];
    const startLine = line(range?.start?.line);
    return {
      rule: text(warning.ruleName) || 'unknown',
      description: text(warning.description),
      detail: text(warning.detail) || text(warning.description),
      url: text(warning.url) || undefined,
      startLine,
      endLine: line(range?.end?.line) ?? startLine,
    };
  });
}
