/** What the bench asks of the gateway and of the simulators, outside autocannon's load. */

export interface Answer<T> {
  readonly status: number;
  readonly text: string;
  readonly body: { data?: T; errors?: Array<{ message: string }> };
}

export async function post<T = Record<string, unknown>>(
  url: string,
  headers: Readonly<Record<string, string>>,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Answer<T>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Answer<T>['body'] };
}

/** The data of an answer without errors; throws with the first error otherwise. */
export async function data<T = Record<string, unknown>>(
  url: string,
  headers: Readonly<Record<string, string>>,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const answer = await post<T>(url, headers, query, variables);
  if (answer.status !== 200 || answer.body.errors?.length || !answer.body.data) {
    throw new Error(`query failed (${answer.status}): ${answer.text.slice(0, 500)}`);
  }
  return answer.body.data;
}

interface Page {
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly nodes: readonly unknown[];
}

/** Walks a root connection `field` page by page; returns the records seen and the pages asked for. */
export async function walk(url: string, headers: Readonly<Record<string, string>>, field: string, pageSize: number): Promise<{ records: number; pages: number }> {
  const query = `query($after: String) { ${field}(first: ${pageSize}, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }`;
  let after: string | null = null;
  let records = 0;
  let pages = 0;
  for (;;) {
    const page: Page | undefined = (await data<Record<string, Page>>(url, headers, query, { after }))[field];
    if (!page) throw new Error(`no ${field} in the answer`);
    pages += 1;
    records += page.nodes.length;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return { records, pages };
    after = page.pageInfo.endCursor;
  }
}

export interface LogEntry {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly status: number;
}

/** The simulator's request log (`/__sim/log`, bounded at 10,000 entries). */
export async function simLog(baseUrl: string): Promise<LogEntry[]> {
  const response = await fetch(new URL('/__sim/log', baseUrl));
  return (await response.json()) as LogEntry[];
}

export async function clearSimLog(baseUrl: string): Promise<void> {
  await fetch(new URL('/__sim/log', baseUrl), { method: 'DELETE' });
}

/** Token endpoints: paid once per token lifetime, not per query, so not counted as a query's calls. */
export function isDataCall(entry: LogEntry): boolean {
  return !/(^|\/)(auth|oauth)\/token$/.test(entry.path) && !entry.path.startsWith('login/');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until just after the next whole second: CareHQ's windows are aligned to it. */
export async function nextSecond(): Promise<void> {
  await sleep(1000 - (Date.now() % 1000) + 10);
}
