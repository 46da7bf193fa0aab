/** Talks to a running gateway over real HTTP, as any client would. */
export interface GraphQLErrorShape {
  message: string;
  path?: Array<string | number>;
  extensions?: Record<string, unknown> & { code?: string };
}

export interface GraphQLResult<T> {
  data?: T | null;
  errors?: GraphQLErrorShape[];
}

export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult<T>;
}

/** The data of a query that must succeed; fails the test with the errors otherwise. */
export async function gqlData<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const result = await gql<T>(url, query, variables);
  if (result.errors?.length || !result.data) {
    throw new Error(`expected data, got errors: ${JSON.stringify(result.errors)}`);
  }
  return result.data;
}

export interface ConnectionPage<N> {
  edges: Array<{ cursor: string; node: N }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * Walks a whole Relay connection page by page, forward (`first`/`after`) or backward (`last`/`before`),
 * returning every node in list order and the number of pages read. `query` must take `$first, $after,
 * $last, $before` and select `edges { cursor node { ... } }` and `pageInfo` under `field`. Every page but
 * the last must be full, or the walk fails.
 */
export async function walkConnection<N>(
  url: string,
  query: string,
  field: string,
  direction: 'forward' | 'backward',
  size: number,
  extra: Record<string, unknown> = {},
): Promise<{ nodes: N[]; pages: number }> {
  const nodes: N[] = [];
  let cursor: string | null = null;
  for (let pages = 1; pages <= 500; pages += 1) {
    const variables = direction === 'forward' ? { ...extra, first: size, after: cursor } : { ...extra, last: size, before: cursor };
    const data: Record<string, ConnectionPage<N>> = await gqlData<Record<string, ConnectionPage<N>>>(url, query, variables);
    const connection = data[field];
    if (!connection) throw new Error(`no "${field}" in the answer`);
    const page = connection.edges.map((edge) => edge.node);
    if (direction === 'forward') nodes.push(...page);
    else nodes.unshift(...page);
    const more = direction === 'forward' ? connection.pageInfo.hasNextPage : connection.pageInfo.hasPreviousPage;
    if (!more) return { nodes, pages };
    if (page.length !== size) throw new Error(`page ${pages} held ${page.length} nodes, expected ${size}`);
    cursor = direction === 'forward' ? connection.pageInfo.endCursor : connection.pageInfo.startCursor;
  }
  throw new Error(`the ${direction} walk over "${field}" did not end`);
}
