import type { RunRecord } from '../record/run-record.js';
import type { ResolvedTag } from '../tags/tags.js';

/** The outputs a later step reads in place of metadata-action's and build-push-action's. */
export interface MetadataOutputs {
  /** The image's labels, KEY=VALUE a line, sorted by key (metadata-action's order). */
  labels: string;
  /** The OCI annotations the build wrote (the `annotations` input), one a line, level prefix kept. */
  annotations: string;
  /** metadata-action's `json` shape: tags (full references), tag-names, labels (an object), annotations. */
  json: string;
  /** The JSON buildx wrote with `--metadata-file`; empty without buildx or without a build. */
  metadata: string;
}

export interface MetadataFacts {
  references: readonly string[];
  tags: readonly ResolvedTag[];
  labels: Readonly<Record<string, string>>;
  annotations: readonly string[];
  record: RunRecord;
}

/** The labels, annotations, json and metadata outputs, from what the run resolved and did. Pure. */
export function metadataOutputs(facts: MetadataFacts): MetadataOutputs {
  const labels = Object.entries(facts.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    labels: labels.map(([key, value]) => `${key}=${value}`).join('\n'),
    annotations: facts.annotations.join('\n'),
    json: JSON.stringify({
      tags: facts.references,
      'tag-names': facts.tags.map(({ tag }) => tag),
      labels: Object.fromEntries(labels),
      annotations: facts.annotations,
    }),
    metadata: facts.record.buildMetadata ?? '',
  };
}
