/**
 * The local equivalent of `rover subgraph check`: the breaking changes (@graphql-inspector/core) between the
 * published SDL, schema/__generated__/subgraph.graphql, and the schema the code builds now, less those
 * recorded in schema/CHANGES.md. `npm run schema:print` refuses to publish while any is unrecorded, and
 * test/schema/schema-changes.test.ts fails on them and on a stale published file.
 *
 * A breaking change is recorded by a list item in schema/CHANGES.md that names its path in backticks and its
 * change type: "- `Query.leads` FIELD_REMOVED: replaced by `Query.clinicLeads` (2026-05-01)". The item stays
 * as the record of what changed and why.
 */
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { parse } from 'graphql';

export const PUBLISHED_SDL = new URL('../schema/__generated__/subgraph.graphql', import.meta.url);
export const CHANGE_LOG = new URL('../schema/CHANGES.md', import.meta.url);

export interface BreakingChange {
  readonly type: string;
  /** `Type.field`, `Type.field.argument`, `Enum.VALUE`...; the type's name for type-level changes. */
  readonly path: string;
  readonly message: string;
}

/** Every breaking change from `before` to `after`, both subgraph SDL. */
export async function breakingChanges(before: string, after: string): Promise<BreakingChange[]> {
  const changes: Change[] = await diff(buildSubgraphSchema(parse(before)), buildSubgraphSchema(parse(after)));
  return changes
    .filter((change) => change.criticality.level === CriticalityLevel.Breaking)
    .map((change) => ({ type: String(change.type), path: change.path ?? '', message: change.message }));
}

/**
 * The (path, type) pairs schema/CHANGES.md records: list items with a backticked path and a change type.
 * Items inside fenced code blocks are examples, not records.
 */
export function recordedChanges(changeLog: string): ReadonlySet<string> {
  const recorded = new Set<string>();
  let fenced = false;
  for (const line of changeLog.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const item = /^\s*[-*]\s+`([^`]+)`\s+([A-Z][A-Z_]+)\b/.exec(line);
    if (item) recorded.add(`${item[1]} ${item[2]}`);
  }
  return recorded;
}

/** The breaking changes from `before` to `after` that schema/CHANGES.md does not record. */
export async function unrecordedBreakingChanges(before: string, after: string, changeLog: string): Promise<BreakingChange[]> {
  const recorded = recordedChanges(changeLog);
  return (await breakingChanges(before, after)).filter((change) => !recorded.has(`${change.path} ${change.type}`));
}

/** How a refusal reads: one line per change, each ready to paste into schema/CHANGES.md with a reason. */
export function describeUnrecorded(changes: readonly BreakingChange[]): string {
  return [
    `${changes.length} breaking schema change(s) not recorded in schema/CHANGES.md:`,
    ...changes.map((change) => `  - \`${change.path}\` ${change.type}: ${change.message}`),
    'Revert them, or record each as a list item in schema/CHANGES.md (path in backticks, then the type, then why).',
  ].join('\n');
}

export function readPublished(): string {
  return readFileSync(PUBLISHED_SDL, 'utf8');
}

export function readChangeLog(): string {
  return readFileSync(CHANGE_LOG, 'utf8');
}
