/**
 * The self-hosted GraphiQL in headless Chromium, as a person meets it: the page loads from the gateway alone,
 * a query typed into the editor runs against the demo data, and, with auth on, the key typed into the page's
 * field is what lets it through. Every request the page makes is recorded: none may leave loopback.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`.ci/run` installs it); playwright-core drives it and never
 * downloads a browser of its own.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../helpers/auth.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { gqlData } from '../helpers/graphql.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is absent (.ci/run installs it with apt-get install chromium)`;
if (missing) console.warn(`test/e2e/graphiql.test.ts skipped: ${missing}`);

const QUERY = '{ enquiries(first: 2) { totalCount nodes { id firstName status } } }';

interface Visit {
  readonly page: Page;
  /** Every URL the page requested, workers and fonts included. */
  readonly requests: string[];
  /** Console errors and uncaught exceptions: a CSP violation shows up here. */
  readonly errors: string[];
}

let browser: Browser;

beforeAll(async () => {
  if (missing) return;
  // launch() gives the browser a fresh user-data-dir of its own, removed when it closes (Playwright refuses a
  // --user-data-dir argument there); each test then gets a fresh context, with empty storage.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Chromium's own background traffic (updates, sync, QUIC probes) off, so that what the page does is all there is.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

async function visit(url: string): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 15_000 });
  return { page, requests, errors };
}

/** Replaces the editor's text as a person would: click in, select all, type. */
async function typeQuery(page: Page, query: string): Promise<void> {
  await page.locator('.graphiql-query-editor .monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText types the whole string as one input, so Monaco's bracket auto-closing and suggestions do not
  // turn `{` into `{}` under the test's fingers.
  await page.keyboard.insertText(query);
  // One line is hard to read in the screenshot; GraphiQL's own prettify button lays it out.
  await page.getByRole('button', { name: /prettify/i }).click();
  await expect.poll(() => page.locator('.graphiql-query-editor .view-line').count()).toBeGreaterThan(3);
  // GraphiQL re-reads the document's operations after a debounce; a click before it sends the previous
  // document's operation name (seen as "Unknown operation named \"Enquiries\"" and a subscription sent as a POST).
  await page.waitForTimeout(750);
}

/** Clicks the run button; resolves with the HTTP answer to the operation it sent. */
async function run(page: Page, endpoint: string): Promise<{ status: number; body: { data?: unknown; errors?: { extensions?: { code?: string } }[] }; headers: Record<string, string> }> {
  const answer = page.waitForResponse((response) => response.url() === endpoint && response.request().method() === 'POST' && (response.request().postData() ?? '').includes('enquiries'));
  await page.locator('.graphiql-execute-button').click();
  const response = await answer;
  return { status: response.status(), body: (await response.json()) as never, headers: response.request().headers() };
}

/** What a pane shows, with Monaco's non-breaking spaces as plain ones. */
async function shown(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).innerText()).replace(/\u00a0/g, ' ');
}

function expectLoopbackOnly(requests: readonly string[]): void {
  expect(requests.length).toBeGreaterThan(3);
  const outside = requests.filter((url) => !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url));
  expect(outside).toEqual([]);
}

describe.skipIf(missing)('GraphiQL at /graphql in headless Chromium, open local mode', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('runs a typed query and shows its data, with no request leaving loopback', async () => {
    const { page, requests, errors } = await visit(s.url);
    // The page starts ready to run on the demo data.
    await expect.poll(() => shown(page, '.graphiql-query-editor')).toContain('enquiries(first: 3)');

    await typeQuery(page, QUERY);
    const answer = await run(page, s.url);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const nodes = (answer.body.data as { enquiries: { nodes: { firstName: string }[] } }).enquiries.nodes;
    expect(nodes).toHaveLength(2);
    // What the server answered is what the person sees.
    await expect.poll(() => shown(page, '.graphiql-response')).toContain(nodes[0]?.firstName ?? '?');
    await expect.poll(() => shown(page, '.graphiql-response')).toContain('totalCount');

    await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png') });
    expectLoopbackOnly(requests);
    // Monaco's workers and its font came from the gateway too (loaded when first needed, maybe after the answer).
    await expect.poll(() => requests.some((url) => url.endsWith('/graphqlWorker.js')), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => requests.some((url) => url.endsWith('.ttf')), { timeout: 15_000 }).toBe(true);
    expect(errors.filter((error) => /content security policy/i.test(error))).toEqual([]);
    // No key field when there is nothing to authenticate.
    expect(await page.locator('#api-key').count()).toBe(0);
    await page.context().close();
  });
});

describe.skipIf(missing)('GraphiQL subscriptions in headless Chromium, open local mode', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('runs vendorEvents over a websocket to the same /graphql and shows the event a mutation causes', async () => {
    const { page, requests, errors } = await visit(s.url);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await typeQuery(page, 'subscription { vendorEvents(entityType: USER) { type source entity { ... on User { email } } } }');
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => s.gateway.liveEvents.size, { timeout: 15_000 }).toBe(1);
    await gqlData(s.url, 'mutation { createUsers(input: [{ email: "gina.graphiql@example.org", firstName: "Gina", lastName: "Graphiql" }]) { createdCount } }');
    await expect.poll(() => shown(page, '.graphiql-response'), { timeout: 15_000 }).toContain('gina.graphiql@example.org');
    expect(sockets).toEqual([s.url.replace(/^http/, 'ws')]);
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql-subscription.png') });
    expectLoopbackOnly(requests);
    expect(errors.filter((error) => /content security policy/i.test(error))).toEqual([]);
    await page.context().close();
  });
});

describe.skipIf(missing)('GraphiQL at /graphql in headless Chromium, with API keys required', () => {
  const issued = issueKey('graphiql', ['enquiries:read', 'users:read', 'users:write']);
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack({ gateway: { auth: { mode: 'protected', apiKeys: [issued.record], jwt: undefined } } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows the 401 without a key, and runs the query with the key typed into the field', async () => {
    const { page, requests } = await visit(s.url);
    await typeQuery(page, QUERY);

    const refused = await run(page, s.url);
    expect(refused.status).toBe(401);
    expect(refused.headers['x-api-key']).toBeUndefined();
    await expect.poll(() => shown(page, '.graphiql-response')).toContain('UNAUTHENTICATED');

    await page.locator('#api-key').pressSequentially(issued.key);
    const answer = await run(page, s.url);
    expect(answer.headers['x-api-key']).toBe(issued.key);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const nodes = (answer.body.data as { enquiries: { nodes: { firstName: string }[] } }).enquiries.nodes;
    await expect.poll(() => shown(page, '.graphiql-response')).toContain(nodes[0]?.firstName ?? '?');

    await page.screenshot({ path: join(ARTIFACTS, 'graphiql-api-key.png') });
    expectLoopbackOnly(requests);
    // The key stays in this tab's sessionStorage: never in a URL, never in localStorage.
    expect(requests.filter((url) => url.includes(issued.key))).toEqual([]);
    // A string, as the browser's own code: the test's tsconfig has no DOM types.
    const local = await page.evaluate<string>('JSON.stringify({ ...localStorage })');
    const session = await page.evaluate<string>('JSON.stringify({ ...sessionStorage })');
    expect(local).not.toContain(issued.key);
    expect(session).toContain(issued.key);
    await page.context().close();
  });

  it('subscribes with the key typed into the field, sent in the websocket connection_init', async () => {
    const { page, requests } = await visit(s.url);
    const frames: string[] = [];
    page.on('websocket', (socket) => socket.on('framesent', (frame) => frames.push(String(frame.payload))));
    await page.locator('#api-key').pressSequentially(issued.key);
    await typeQuery(page, 'subscription { vendorEvents(entityType: USER) { type entity { ... on User { email } } } }');
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => s.gateway.liveEvents.size, { timeout: 15_000 }).toBe(1);
    const created = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': issued.key },
      body: JSON.stringify({ query: 'mutation { createUsers(input: [{ email: "kai.keyed@example.org", firstName: "Kai", lastName: "Keyed" }]) { createdCount } }' }),
    });
    expect(created.status).toBe(200);
    await expect.poll(() => shown(page, '.graphiql-response'), { timeout: 15_000 }).toContain('kai.keyed@example.org');
    const init = frames.map((frame) => JSON.parse(frame) as { type: string; payload?: Record<string, unknown> }).find((m) => m.type === 'connection_init');
    expect(init?.payload?.['x-api-key']).toBe(issued.key);
    expectLoopbackOnly(requests);
    await page.context().close();
  });
});
