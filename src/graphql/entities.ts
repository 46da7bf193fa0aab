/**
 * `_entities`, the field a Federation router resolves references through, is built by @apollo/subgraph and
 * so is not covered by our resolvers' checks. Wrapped here: a cap on the representations one call may ask
 * for, and each representation's type checked against the caller's scopes, all before any vendor is called.
 */
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import type { GraphQLContext } from './context.ts';
import { badInput } from './errors.ts';
import { typeRefusal } from './scopes.ts';

export interface EntitiesOptions {
  /** Representations one `_entities` call may carry; a longer list is BAD_USER_INPUT. */
  readonly maxRepresentations: number;
}

export function guardEntities(schema: GraphQLSchema, options: EntitiesOptions): void {
  const field = schema.getQueryType()?.getFields()._entities;
  if (!field) return;
  const resolve: GraphQLFieldResolver<unknown, GraphQLContext> | undefined = field.resolve;
  if (!resolve) throw new Error('expected @apollo/subgraph to resolve Query._entities');
  const max = options.maxRepresentations;
  field.resolve = (source, args: { representations?: unknown }, context: GraphQLContext, info) => {
    const representations = Array.isArray(args.representations) ? (args.representations as unknown[]) : [];
    if (representations.length > max) {
      throw badInput(`at most ${max} representations at once, got ${representations.length}`, {
        argument: 'representations',
        limit: max,
      });
    }
    const refusals = representations.map((representation) => typeRefusal(info.schema, context.principal, typenameOf(representation)));
    if (refusals.every((refusal) => refusal === undefined)) return resolve(source, args, context, info);
    // Only the allowed ones are resolved; each refused one fails alone at its own index (a list item that is
    // an Error becomes that item's error), and the answers keep the order asked for.
    const allowed = representations.filter((_, index) => refusals[index] === undefined);
    const answered = allowed.length === 0 ? [] : resolve(source, { ...args, representations: allowed }, context, info);
    return Promise.resolve(answered).then((items: unknown) => {
      const list = Array.isArray(items) ? items : [];
      let next = 0;
      return refusals.map((refusal) => refusal ?? list[next++]);
    });
  };
}

function typenameOf(representation: unknown): string {
  const typename = typeof representation === 'object' && representation !== null ? (representation as { __typename?: unknown }).__typename : undefined;
  return typeof typename === 'string' ? typename : '';
}
