/** The executable subgraph schema: every SDL file in schema/ plus the resolvers, built for Federation 2. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { guardEntities } from "./entities.js";
import { resolvers } from "./resolvers/index.js";
import { enforceScopes } from "./scopes.js";
const SCHEMA_DIR = new URL('../../schema/', import.meta.url);
export function loadTypeDefs() {
    const dir = SCHEMA_DIR.pathname;
    return readdirSync(dir)
        .filter((file) => file.endsWith('.graphql'))
        .sort()
        .map((file) => readFileSync(join(dir, file), 'utf8'))
        .join('\n');
}
export function buildSchema(options = {}) {
    const schema = buildSubgraphSchema([
        {
            typeDefs: parse(loadTypeDefs()),
            // codegen's Resolvers type is stricter than @apollo/subgraph's map; the shapes agree at run time.
            resolvers: resolvers,
        },
    ]);
    enforceScopes(schema);
    guardEntities(schema, { maxRepresentations: options.maxEntityRepresentations ?? 500 });
    return schema;
}
//# sourceMappingURL=schema.js.map