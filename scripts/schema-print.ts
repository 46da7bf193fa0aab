/**
 * `npm run schema:print`: writes the subgraph SDL to schema/__generated__/subgraph.graphql, the published
 * schema that clients and the schema-change test compare against. It refuses (exit 1, file untouched) while
 * the new SDL has breaking changes schema/CHANGES.md does not record.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { printSubgraphSdl } from '../src/graphql/schema.ts';
import { PUBLISHED_SDL, describeUnrecorded, readChangeLog, readPublished, unrecordedBreakingChanges } from './schema-changes.ts';

const sdl = printSubgraphSdl();
if (existsSync(PUBLISHED_SDL)) {
  const unrecorded = await unrecordedBreakingChanges(readPublished(), sdl, readChangeLog());
  if (unrecorded.length > 0) {
    console.error(describeUnrecorded(unrecorded));
    process.exit(1);
  }
}
writeFileSync(PUBLISHED_SDL, sdl);
console.log(`wrote ${PUBLISHED_SDL.pathname}`);
