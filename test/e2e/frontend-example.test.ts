/**
 * The frontend example (examples/frontend) in headless Chromium, served from its own origin by Vite against a
 * gateway on the simulators with API keys on: the page meets CORS preflights, the x-api-key header and CSRF
 * prevention as any frontend would. It lists enquiries, pages forward and back, opens one with its assignee,
 * shows field errors inline, creates one and then lists it, and shows creates (its own and another client's)
 * live over the gateway's websocket.
 *
 * Needs Debian's Chromium at /usr/bin/chromium, like the GraphiQL test.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExample, type Example } from '../../examples/frontend/serve.ts';
import { apiKey, issueKey } from '../helpers/auth.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { gql } from '../helpers/graphql.ts';
import { freePort } from '../helpers/redis.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is absent (.ci/run installs it with apt-get install chromium)`;
if (missing) console.warn(`test/e2e/frontend-example.test.ts skipped: ${missing}`);

/** The page's own page size (examples/frontend/src/main.ts). */
const PAGE_SIZE = 5;

describe.skipIf(missing)('the frontend example in headless Chromium', () => {
  const issued = issueKey('frontend-example', ['enquiries:read', 'enquiries:write', 'users:read']);
  let browser: Browser;
  let stack: TestStack;
  let example: Example;
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    stack = await startStack({
      gateway: { auth: { mode: 'protected', apiKeys: [issued.record], jwt: undefined }, corsOrigins: [origin] },
    });
    example = await startExample({ port, host: '127.0.0.1', gatewayUrl: stack.url });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await example?.close();
    await stack?.close();
  });

  const names = (page: Page) => page.locator('#rows button.open').allInnerTexts();

  /** The enquiries the gateway itself lists first, with their assignees, to compare with what the page shows. */
  async function firstPageFromGateway(): Promise<Array<{ id: string; firstName: string | null; lastName: string | null; assignee: { name: string } | null }>> {
    const answer = await gql<{ enquiries: { nodes: Array<{ id: string; firstName: string | null; lastName: string | null; assignee: { name: string } | null }> } }>(
      stack.url,
      `{ enquiries(first: ${PAGE_SIZE}) { nodes { id firstName lastName assignee { name } } } }`,
      {},
      apiKey(issued.key),
    );
    expect(answer.errors).toBeUndefined();
    return answer.data?.enquiries.nodes ?? [];
  }

  it('lists, pages forward and back, opens one with its assignee, shows field errors, creates one and lists it', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const requests: Array<{ url: string; method: string; headers: Record<string, string> }> = [];
    const errors: string[] = [];
    page.on('request', (request) => requests.push({ url: request.url(), method: request.method(), headers: request.headers() }));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(example.url);
    await expect.poll(() => page.locator('#gateway-url').innerText()).toBe(stack.url);

    // Without a key the gateway refuses, and the page says why, for the list and for live updates alike.
    await expect.poll(() => page.locator('#problem').innerText(), { timeout: 15_000 }).toContain('UNAUTHENTICATED');
    await expect.poll(() => page.locator('#live-problem').innerText(), { timeout: 15_000 }).toContain('4401');
    await page.locator('#api-key').fill(issued.key);
    await page.locator('#api-key').press('Enter');
    await page.locator('#api-key').blur();

    const expected = await firstPageFromGateway();
    const fullName = (e: { firstName: string | null; lastName: string | null }) => [e.firstName, e.lastName].filter(Boolean).join(' ');
    await expect.poll(() => names(page), { timeout: 15_000 }).toEqual(expected.map(fullName));
    const first = await names(page);
    // With the key, the page subscribes to enquiry events over the gateway's websocket.
    await expect.poll(() => stack.gateway.liveEvents.size, { timeout: 15_000 }).toBe(1);
    expect(await page.locator('#live-problem').innerText()).toBe('');
    expect(Number(await page.locator('#total').innerText())).toBeGreaterThan(PAGE_SIZE * 2);

    await page.locator('#next').click();
    await expect.poll(async () => (await names(page)).join('|')).not.toBe(first.join('|'));
    const second = await names(page);
    expect(second).toHaveLength(PAGE_SIZE);
    expect(second.filter((name) => first.includes(name) && name !== '(no name)')).toEqual([]);
    await expect.poll(() => page.locator('#prev').isEnabled()).toBe(true);
    await page.locator('#prev').click();
    await expect.poll(() => names(page)).toEqual(first);
    expect(await page.locator('#prev').isDisabled()).toBe(true);

    // Open one that has an assignee: the page shows the name the gateway resolves.
    const withAssignee = expected.findIndex((e) => e.assignee !== null);
    expect(withAssignee).toBeGreaterThanOrEqual(0);
    await page.locator('#rows button.open').nth(withAssignee).click();
    await expect.poll(() => page.locator('#detail-assignee').innerText()).toContain(expected[withAssignee]?.assignee?.name ?? '?');

    // Field errors inline: the gateway's own check of the email, then the vendor's (CareHQ) required name.
    const form = page.locator('#create');
    await form.locator('[name=firstName]').fill('Edith');
    await form.locator('[name=email]').fill('not-an-email');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('[data-error-for=email]').innerText()).toMatch(/email/i);
    await form.locator('[name=firstName]').fill('');
    await form.locator('[name=email]').fill('edith.crawley@example.org');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('[data-error-for=firstName]').innerText()).toBe('A first name or a last name is required.');
    expect(await form.locator('[data-error-for=email]').innerText()).toBe('');

    await form.locator('[name=firstName]').fill('Edith');
    await form.locator('[name=lastName]').fill('Crawley');
    await form.locator('[name=fundingType]').selectOption('PRIVATE');
    await form.locator('button[type=submit]').click();
    // Newest last: the page shows the last page, with the new enquiry on it, and opens it.
    await expect.poll(() => names(page)).toContain('Edith Crawley');
    await expect.poll(() => page.locator('#detail-name').innerText()).toBe('Edith Crawley');
    expect(await page.locator('#next').isDisabled()).toBe(true);
    expect(await form.locator('[data-error-for=firstName]').innerText()).toBe('');
    await expect.poll(() => page.locator('#live li').first().innerText()).toMatch(/^created: Edith Crawley \(through the gateway/);

    // Another client's create arrives live, without a reload.
    const other = await gql(stack.url, 'mutation { createEnquiry(input: { firstName: "Lena", lastName: "Live" }) { enquiry { id } } }', {}, apiKey(issued.key));
    expect(other.errors).toBeUndefined();
    await expect.poll(() => page.locator('#live li').first().innerText()).toMatch(/^created: Lena Live /);
    await page.screenshot({ path: join(ARTIFACTS, 'frontend-example.png'), fullPage: true });

    // The gateway has it too, as any other client would see it.
    const listed = await gql<{ enquiries: { nodes: Array<{ firstName: string; lastName: string }> } }>(
      stack.url,
      `{ enquiries(last: 2) { nodes { firstName lastName } } }`,
      {},
      apiKey(issued.key),
    );
    expect(listed.data?.enquiries.nodes).toEqual([
      { firstName: 'Edith', lastName: 'Crawley' },
      { firstName: 'Lena', lastName: 'Live' },
    ]);

    // Every call crossed origins with the key in a header; nothing left loopback.
    const calls = requests.filter((r) => r.url === stack.url && r.method === 'POST');
    expect(calls.length).toBeGreaterThanOrEqual(8);
    expect(errors).toEqual([]);
    expect(calls.every((r) => r.headers['content-type'] === 'application/json')).toBe(true);
    expect(calls.filter((r) => r.headers['x-api-key'] === issued.key).length).toBe(calls.length - 1);
    expect(requests.filter((r) => !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(r.url))).toEqual([]);
    expect(requests.filter((r) => r.url.includes(issued.key))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is refused by CORS from an origin the gateway does not allow', async () => {
    const other = await startExample({ port: await freePort(), host: '127.0.0.1', gatewayUrl: stack.url });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(other.url);
      await page.locator('#api-key').fill(issued.key);
      await page.locator('#api-key').blur();
      await expect.poll(() => page.locator('#problem').innerText(), { timeout: 15_000 }).toContain('cannot reach the gateway');
      expect(await page.locator('#rows tr').count()).toBe(0);
      await context.close();
    } finally {
      await other.close();
    }
  });
});
