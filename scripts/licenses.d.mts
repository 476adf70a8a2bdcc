// Types of licenses.mjs for the unit tests (TypeScript checks the tests, not the scripts).
import type { Metafile } from 'esbuild';

export interface BundledPackage {
  name: string;
  version: string;
  /** The package.json's license (SPDX expression), or UNKNOWN. */
  license: string;
  /** Its folder, relative to the root. */
  dir: string;
  /** Its license file's text; undefined when it has none. */
  text: string | undefined;
  /** Its NOTICE file's text, when it has one. */
  notice: string | undefined;
}

export function bundledPackages(metafiles: Metafile[], root?: string): BundledPackage[];
export function licenseNotices(metafiles: Metafile[], root?: string): string;
export function writeLicenses(metafiles: Metafile[], file: string, root?: string): void;
