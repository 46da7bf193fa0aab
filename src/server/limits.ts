/**
 * What one GraphQL request may cost, checked before it runs so that a refused one makes no vendor call:
 *
 * - aliases, depth and directives: GraphQL Armor's validation rules, once per distinct document;
 * - tokens: graphql-js's parser stops at the limit, so an oversized document is never even parsed whole;
 * - cost (query-cost.ts) and strings bound for vendors (string-caps.ts): once the variables are known, since
 *   `first: $n` and `search: $s` are only numbers and strings after coercion.
 *
 * A refused operation is HTTP 400 with `extensions.code: QUERY_TOO_COMPLEX`, `limit` (which one) and `max`;
 * an over-long string is `BAD_USER_INPUT` naming the argument.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  getVariableValues,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { LimitsConfig } from '../config.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { badInput, ErrorCode, isGraphQLError } from '../graphql/errors.ts';
import { queryCost } from './query-cost.ts';
import { findLongString, MAX_STRING_LENGTH } from './string-caps.ts';

export const QUERY_TOO_COMPLEX = ErrorCode.QUERY_TOO_COMPLEX;

export type LimitName = 'aliases' | 'depth' | 'tokens' | 'directives' | 'cost';

type StaticLimits = Pick<LimitsConfig, 'maxAliases' | 'maxDepth' | 'maxTokens' | 'maxDirectives' | 'maxCost'>;

/**
 * config.ts's defaults (MAX_ALIASES, MAX_DEPTH, MAX_TOKENS, MAX_DIRECTIVES, MAX_COST), for gateways started
 * without a config (tests, embedders); a test keeps the two in step.
 */
export const LIMIT_DEFAULTS: Readonly<StaticLimits> = Object.freeze({
  maxAliases: 15,
  maxDepth: 12,
  maxTokens: 2_000,
  maxDirectives: 50,
  maxCost: 5_000,
});

/** Largest `/graphql` request body, bytes: 1 MiB holds any reasonable operation and its variables. */
export const GRAPHQL_MAX_BODY_BYTES = 1024 * 1024;

export interface QueryLimits {
  readonly limits: Readonly<StaticLimits>;
  /** For ApolloServer's `parseOptions`: stops parsing past the token limit. */
  readonly parseOptions: ParseOptions;
  /** For ApolloServer's `validationRules`: aliases, depth, directives. */
  readonly validationRules: ValidationRule[];
  /** Cost and string caps, once variables are known and before execution. */
  readonly plugin: ApolloServerPlugin<GraphQLContext>;
  /** The plugin's check, for operations Apollo does not run (subscriptions over websockets): throws the refusal. */
  readonly check: (
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Readonly<Record<string, unknown>> | null | undefined,
  ) => void;
}

interface Verdict {
  readonly cost: number;
  readonly long: ReturnType<typeof findLongString>;
}

const MAX_SHAPES_PER_OPERATION = 64;
/** Longest shape kept, characters: 64 of them per operation stay within 64 KiB. */
const MAX_SHAPE_LENGTH = 1024;

/**
 * What of the variables a verdict can depend on. Cost reads numbers (`first`, `last`), list lengths (`ids`,
 * `vendors`) and whether an argument is given, never what a string says; the string caps read only whether a
 * string is over the limit, and its length if so. So every string becomes a marker, empty when short and its
 * length in code points when not, and the rest stays as it is: `search: "ab"` and `search: "cd"` share a
 * verdict, `first: 20` and `first: 100` do not. Dates and other scalars serialise to strings first, and are
 * marked the same way.
 */
function shapeOf(variables: Readonly<Record<string, unknown>>): string {
  // Over the limit in UTF-16 units may still be within it in code points (the cap's unit): those are counted.
  return JSON.stringify(variables, (_key, value: unknown) => {
    if (typeof value === 'string') return value.length > MAX_STRING_LENGTH ? [...value].length : '';
    // No scalar of this schema coerces to one today, but JSON.stringify would throw on it.
    return typeof value === 'bigint' ? `${value}n` : value;
  });
}

export function tooComplex(limit: LimitName, max: number, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(`Query too complex: ${message}`, {
    extensions: { code: QUERY_TOO_COMPLEX, limit, max, ...extra, http: { status: 400 } },
  });
}

export function queryLimits(given: Partial<LimitsConfig> = {}): QueryLimits {
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  const limits: Readonly<StaticLimits> = Object.freeze({ ...LIMIT_DEFAULTS, ...defined });

  // Armor reports through these instead of throwing (which would end validation at the first rule), and
  // with our code: its own reports say BAD_USER_INPUT, which names no limit.
  const reportAs = (limit: LimitName, max: number) => ({
    n: max,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(tooComplex(limit, max, lowerFirst(error.message.replace(/^Syntax Error: /, '')))),
    ],
  });
  const armor = new ApolloArmor({
    maxAliases: reportAs('aliases', limits.maxAliases),
    maxDepth: reportAs('depth', limits.maxDepth),
    maxDirectives: reportAs('directives', limits.maxDirectives),
    // Tokens are counted by the parser itself (parseOptions), cost by query-cost.ts, suggestions by Apollo.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();

  const verdicts = new WeakMap<OperationDefinitionNode, Map<string, Verdict>>();
  const check: QueryLimits['check'] = (schema, document, operation, variables) => {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
    // Variables that do not coerce are refused by execution, before any resolver runs.
    if (!('coerced' in coerced) || coerced.coerced === undefined) return;
    // Apollo hands back the same parsed document for the same query text, and the verdict depends on the
    // variables only through their shape (shapeOf): a repeated operation is priced once per shape, however
    // its search terms or ids differ.
    const shape = shapeOf(coerced.coerced);
    let byShape = verdicts.get(operation);
    let verdict = byShape?.get(shape);
    if (!verdict) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      verdict = {
        cost: Math.ceil(queryCost(schema, operation, fragments, coerced.coerced)),
        long: findLongString(schema, operation, fragments, coerced.coerced),
      };
      if (!byShape) {
        byShape = new Map();
        verdicts.set(operation, byShape);
      }
      // Bounded: shapes come from clients (a list's length is part of one). Most operations repeat a few, with
      // short variables; a long shape (a big input list) is priced each time rather than kept.
      if (shape.length <= MAX_SHAPE_LENGTH) {
        if (byShape.size >= MAX_SHAPES_PER_OPERATION) byShape.clear();
        byShape.set(shape, verdict);
      }
    }
    const { cost, long } = verdict;
    if (cost > limits.maxCost) {
      throw tooComplex('cost', limits.maxCost, `cost ${cost} exceeds the limit of ${limits.maxCost}.`, { cost });
    }
    if (long) {
      throw badInput(`"${long.argument}" may be at most ${MAX_STRING_LENGTH} characters, got ${long.length}`, {
        argument: long.argument,
        max: MAX_STRING_LENGTH,
        http: { status: 400 },
      });
    }
  };

  const plugin: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (operation) check(schema, document, operation, request.variables);
        },
      };
    },
  };

  return { limits, parseOptions: { maxTokens: limits.maxTokens }, validationRules: armor.validationRules, plugin, check };
}

/** graphql-js's own words when the parser stops at `maxTokens` (16.x spells it "more that"). */
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] (\d+) tokens\. Parsing aborted\.$/;

/**
 * A refusal by one of these limits as the client should see it, or undefined for any other error. Apollo
 * wraps validation and parse errors and gives them its own codes (GRAPHQL_VALIDATION_FAILED,
 * GRAPHQL_PARSE_FAILED); this puts QUERY_TOO_COMPLEX back.
 */
export function limitError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | undefined {
  const original = isGraphQLError(error) ? error.originalError : undefined;
  if (isGraphQLError(original) && original.extensions?.code === QUERY_TOO_COMPLEX) {
    return { ...formatted, extensions: { ...formatted.extensions, code: QUERY_TOO_COMPLEX } };
  }
  const tokens = TOKEN_LIMIT.exec(formatted.message);
  if (tokens && formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED') {
    const max = Number(tokens[1]);
    return {
      message: `Query too complex: token limit of ${max} exceeded.`,
      extensions: { code: QUERY_TOO_COMPLEX, limit: 'tokens' satisfies LimitName, max },
    };
  }
  return undefined;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
