/** BuildKit's automatic platform ARGs, which a FROM or `COPY --from` may use without declaring them. */
export const PLATFORM_ARG_NAMES = [
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
] as const;

/** The platform the action builds for when `platforms` is empty: a GitHub-hosted runner's. */
export const DEFAULT_PLATFORM = 'linux/amd64';

function platformValues(prefix: 'TARGET' | 'BUILD', platform: string): [string, string][] {
  const [os = '', arch = '', variant = ''] = platform.split('/');
  return [
    [`${prefix}PLATFORM`, platform],
    [`${prefix}OS`, os],
    [`${prefix}ARCH`, arch],
    [`${prefix}VARIANT`, variant],
  ];
}

/** Values of the automatic platform ARGs for a build of `target` (os/arch[/variant]) on `build`. */
export function platformArgs(target: string, build: string): Map<string, string> {
  return new Map([...platformValues('TARGET', target), ...platformValues('BUILD', build)]);
}
