/** The executable subgraph schema: every SDL file in schema/ plus the resolvers, built for Federation 2. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { GraphQLSchema } from 'graphql';
import { parse } from 'graphql';
import { guardEntities } from './entities.ts';
import { resolvers } from './resolvers/index.ts';
import { enforceScopes } from './scopes.ts';

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

export function loadTypeDefs(): string {
  const dir = SCHEMA_DIR.pathname;
  return readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n');
}

export interface SchemaOptions {
  /** Representations one `_entities` call may carry (MAX_ENTITY_REPRESENTATIONS). Default 500. */
  readonly maxEntityRepresentations?: number;
}

export function buildSchema(options: SchemaOptions = {}): GraphQLSchema {
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(loadTypeDefs()),
      // codegen's Resolvers type is stricter than @apollo/subgraph's map; the shapes agree at run time.
      resolvers: resolvers as unknown as GraphQLResolverMap<unknown>,
    },
  ]);
  enforceScopes(schema);
  guardEntities(schema, { maxRepresentations: options.maxEntityRepresentations ?? 500 });
  return schema;
}

/**
 * The SDL this subgraph publishes (what a router reads from `_service { sdl }`), as committed in
 * schema/__generated__/subgraph.graphql by `npm run schema:print`.
 */
export function printSubgraphSdl(): string {
  return `${SUBGRAPH_SDL_HEADER}\n${printSubgraphSchema(buildSchema())}\n`;
}

export const SUBGRAPH_SDL_HEADER = '# Generated from schema/*.graphql by `npm run schema:print`. Do not edit; see schema/CHANGES.md.';
