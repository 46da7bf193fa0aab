import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredFile } from '../../src/domain/file.ts';
import {
  CARECLOUD_DEFAULT_BUCKET_IDS,
  CARECLOUD_DEFAULT_WORKSPACE_ID,
  CARECLOUD_DEMO_CREDENTIALS,
  startCareCloudSimulator,
  type CareCloudSimulator,
  type CareCloudSimulatorOptions,
} from '../../src/simulators/carecloud/server.ts';
import type { CallContext } from '../../src/upstream/client.ts';
import { UpstreamCore, type UpstreamCoreOptions } from '../../src/upstream/client.ts';
import { isUpstreamError, type UpstreamError, type UpstreamProblem } from '../../src/upstream/errors.ts';
import type { FetchLike } from '../../src/upstream/transport.ts';
import { CareCloudSource, type CareCloudOptions } from '../../src/vendors/carecloud/index.ts';
import { startOfNextMonth } from '../../src/vendors/carecloud/quota.ts';

const WS = CARECLOUD_DEFAULT_WORKSPACE_ID;
const [SEEDED_BUCKET = '', EMPTY_BUCKET = ''] = CARECLOUD_DEFAULT_BUCKET_IDS;
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const encode = (text: string) => new TextEncoder().encode(text);

interface Setup {
  readonly sim: CareCloudSimulator;
  readonly source: CareCloudSource;
  /** A call context on the core's clock, as the gateway builds one per GraphQL request. */
  readonly call: () => CallContext;
}

const running: CareCloudSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function setup(
  options: {
    sim?: CareCloudSimulatorOptions;
    source?: Partial<CareCloudOptions>;
    core?: UpstreamCoreOptions;
  } = {},
): Promise<Setup> {
  const sim = await startCareCloudSimulator(options.sim);
  running.push(sim);
  const core = new UpstreamCore(options.core);
  const source = CareCloudSource.create(core, {
    baseUrl: sim.baseUrl,
    credentials: { apiKey: CARECLOUD_DEMO_CREDENTIALS.apiKey },
    workspaceId: WS,
    bucketId: SEEDED_BUCKET,
    ...options.source,
  });
  return { sim, source, call: () => ({ priority: 'interactive', deadline: core.clock.now() + 15_000 }) };
}

/** Requests the simulator answered for `method` (optionally only those matching `path`). */
function calls(sim: CareCloudSimulator, method: string, path?: RegExp): number {
  return sim.log.filter((entry) => entry.method === method && (!path || path.test(entry.path))).length;
}

async function walk(source: CareCloudSource, call: CallContext): Promise<{ files: StoredFile[]; totals: number[] }> {
  const paged = source.files(call);
  const files: StoredFile[] = [];
  const totals: number[] = [];
  for (let index = 0; ; index += 1) {
    const page = await paged.page(index);
    files.push(...page.items);
    totals.push(page.total ?? -1);
    if (page.items.length < paged.pageSize || files.length >= (page.total ?? Infinity)) return { files, totals };
  }
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isUpstreamError(error)) throw new Error(`expected an UpstreamError, got ${String(error)}`);
  return error;
}

function seededNames(sim: CareCloudSimulator): string[] {
  return [...(sim.store.files.get(WS)?.get(SEEDED_BUCKET)?.keys() ?? [])];
}

describe('CareCloudSource options', () => {
  const base: CareCloudOptions = {
    baseUrl: 'https://abc.execute-api.eu-west-2.amazonaws.com/prod/',
    credentials: { apiKey: 'secret-key-value' },
    workspaceId: 'ws',
    bucketId: 'bucket',
  };

  it.each<[string, Partial<CareCloudOptions>, string]>([
    ['a relative base URL', { baseUrl: 'prod/' }, 'expected baseUrl to be an http(s) URL, got "prod/"'],
    ['an empty API key', { credentials: { apiKey: ' ' } }, 'expected credentials.apiKey to be a non-empty string, got nothing'],
    ['an empty workspace', { workspaceId: '' }, 'expected workspaceId to be a non-empty id without "/" (and not "." or ".."), got ""'],
    ['a bucket path', { bucketId: 'a/b' }, 'expected bucketId to be a non-empty id without "/" (and not "." or ".."), got "a/b"'],
    ['a dot-dot bucket', { bucketId: '..' }, 'expected bucketId to be a non-empty id without "/" (and not "." or ".."), got ".."'],
    ['a zero rate', { ratePerSecond: 0 }, 'expected ratePerSecond to be a number > 0, got 0'],
    ['a fractional burst', { burst: 1.5 }, 'expected burst to be an integer >= 1, got 1.5'],
    ['a zero quota', { monthlyQuota: 0 }, 'expected monthlyQuota to be an integer >= 1, got 0'],
    ['a negative cache TTL', { cacheTtlMs: -1 }, 'expected cacheTtlMs to be a number >= 0, got -1'],
    ['a page beyond the maximum', { pageSize: 101 }, 'expected pageSize to be an integer from 1 to 100, got 101'],
  ])('refuses %s with a clear message', (_label, patch, message) => {
    const create = () => CareCloudSource.create(new UpstreamCore(), { ...base, ...patch });
    expect(create).toThrow(message);
  });

  it('keeps the documented defaults and never puts the key in its budget name', async () => {
    const source = CareCloudSource.create(new UpstreamCore(), base);
    expect(source.maxUploadBytes).toBe(10 * 1024 * 1024);
    expect(source.files({ priority: 'interactive', deadline: Date.now() + 1000 }).pageSize).toBe(100);
    expect(await source.quota(Date.parse('2026-02-14T10:00:00Z'))).toEqual({
      month: '2026-02',
      used: 0,
      limit: 10_000,
      remaining: 10_000,
      exhausted: false,
      resetsAt: new Date('2026-03-01T00:00:00.000Z'),
    });
    expect(source.upstream.adapter.rateSpec).toEqual({ kind: 'bucket', capacity: 20, refillPerSecond: 10 });
    expect(source.upstream.adapter.budgetKey).not.toContain('secret-key-value');
  });
});

describe('CareCloudSource reads', () => {
  it('fails with unauthorized on a bad key, after one call, without echoing the key', async () => {
    const { sim, source, call } = await setup({ source: { credentials: { apiKey: 'wrong-key-123' } } });
    const error = await failure(source.files(call()).page(0));
    expect(error.problem).toEqual({ kind: 'unauthorized' });
    expect(error.status).toBe(403);
    expect(error.message).not.toContain('wrong-key-123');
    expect(sim.log).toHaveLength(1);
  });

  it('walks the 40 seeded files page by page with the total on every page and no repeats or gaps', async () => {
    const { sim, source, call } = await setup({ source: { pageSize: 15 } });
    const { files, totals } = await walk(source, call());
    expect(totals).toEqual([40, 40, 40]);
    expect(files).toHaveLength(40);
    expect(new Set(files.map((f) => f.vendorId)).size).toBe(40);
    expect(new Set(files.map((f) => f.vendorId))).toEqual(new Set(seededNames(sim)));
    expect(sim.log.map((e) => e.query)).toEqual(['page=1&pageSize=15', 'page=2&pageSize=15', 'page=3&pageSize=15']);
    expect(files[0]).toMatchObject({ __typename: 'File', vendor: 'CARECLOUD', workspaceId: WS, bucketId: SEEDED_BUCKET });
  });

  it('lists the whole seeded bucket in one call at the default page size', async () => {
    const { sim, source, call } = await setup();
    const page = await source.files(call()).page(0);
    expect(page.items).toHaveLength(40);
    expect(page.total).toBe(40);
    expect(sim.log).toHaveLength(1);
  });

  it('looks a file up by name without downloading it, and reuses the answer within the cache TTL', async () => {
    const { sim, source, call } = await setup();
    const [listed] = (await source.files(call()).page(0)).items;
    if (!listed) throw new Error('expected seeded files');
    const found = await source.file(listed.name, call());
    expect(found).toEqual(listed);
    expect(await source.file(listed.name, call())).toEqual(listed);
    expect(calls(sim, 'GET', /^files\/[^/]+\/[^/]+\/.+/)).toBe(1);
    expect(sim.log.at(-1)?.query).toBe('metadata=true');
  });

  it.each([
    ['an unknown name', 'no-such-file.pdf', 1],
    ['an empty name', '', 0],
    ['a name with a slash', 'a/b.csv', 0],
    ['a dot-dot name', '..', 0],
    ['a name with a NUL', 'a\u0000.pdf', 0],
    ['a name with a question mark', 'a?.pdf', 0],
  ])('answers null for %s (%s) after %i upstream calls', async (_label, name, upstream) => {
    const { sim, source, call } = await setup();
    expect(await source.file(name, call())).toBeNull();
    expect(await source.download(name, call())).toBeNull();
    expect(sim.log).toHaveLength(upstream * 2);
  });

  it('returns files by name in key order, null for unknown names, from one list page when it holds the bucket', async () => {
    const { sim, source, call } = await setup();
    const [a = '', b = ''] = seededNames(sim);
    const result = await source.filesByNames([b, 'missing.csv', a, b], call());
    expect(result.map((f) => (f instanceof Error || f === null ? f : f.name))).toEqual([b, null, a, b]);
    expect(result[0]).toEqual(await source.file(b, call()));
    // The list page (40 files of 40) settles all three names, the missing one included; then the one file() above.
    expect(calls(sim, 'GET', /^files\/[^/]+\/[^/]+$/)).toBe(1);
    expect(sim.log).toHaveLength(2);
  });

  it('looks names up one by one once the bucket is known to be larger than a page', async () => {
    const { sim, source, call } = await setup({ source: { pageSize: 10 } });
    const [a = '', b = '', , , , , , , , , , c = ''] = seededNames(sim);
    const first = await source.filesByNames([a, c], call());
    expect(first.map((f) => (f instanceof Error || f === null ? f : f.name))).toEqual([a, c]);
    // The first page (10 of 40) held a; c took its own call. Now the bucket's size is known: no list page again.
    expect(sim.log.map((e) => e.query)).toEqual(['page=1&pageSize=10', 'metadata=true']);
    sim.log.length = 0;
    const second = await source.filesByNames([b, 'missing.csv'], call());
    expect(second.map((f) => (f instanceof Error || f === null ? f : f.name))).toEqual([b, null]);
    expect(sim.log.map((e) => e.query)).toEqual(['metadata=true', 'metadata=true']);
  });

  it('puts a failed lookup in its own slot as an Error and still answers the others', async () => {
    const { sim, source, call } = await setup({ core: { retry: { maxRetries: 0, initialDelayMs: 1, maxDelayMs: 1 } } });
    const [a = '', b = ''] = seededNames(sim);
    // The list page fails first, so each name is asked for alone; the queue sends one call until the first
    // answer is read, so the second 502 goes to the first name.
    sim.faults.serverErrors = 2;
    const [first, second] = await source.filesByNames([a, b], call());
    expect(first).toBeInstanceOf(Error);
    expect(first).toMatchObject({ problem: { kind: 'server_error' }, status: 502 });
    expect(second).toMatchObject({ name: b });
  });
});

describe('CareCloudSource uploads and downloads', () => {
  it('uploads, lists and downloads a file with the same checksum, sending checksum and uploader', async () => {
    const { sim, source, call } = await setup({ source: { bucketId: EMPTY_BUCKET } });
    expect((await source.files(call()).page(0)).total).toBe(0);
    const content = encode('resident_id,first_name\nr1,Margaret\n');

    const stored = await source.upload(
      { name: 'residents 2026.csv', contentType: 'text/csv', bytes: content, uploadedById: 'user-42' },
      call(),
    );
    expect(stored).toMatchObject({
      vendorId: 'residents 2026.csv',
      size: content.length,
      checksumSha256: sha256(content),
      uploadedById: 'user-42',
      contentType: 'text/csv',
    });
    const put = sim.log.find((e) => e.method === 'PUT');
    expect(put?.headers['x-checksum-sha256']).toBe(sha256(content));
    expect(put?.headers['x-uploaded-by']).toBe('user-42');
    expect(put?.headers['x-api-key']).toBe(CARECLOUD_DEMO_CREDENTIALS.apiKey);

    // The empty list above was cached; the upload must have cleared it.
    expect((await source.files(call()).page(0)).items).toEqual([stored]);
    const downloaded = await source.download('residents 2026.csv', call());
    expect(downloaded?.contentType).toBe('text/csv');
    expect(downloaded?.checksumSha256).toBe(stored.checksumSha256);
    expect(Buffer.from(downloaded?.bytes ?? []).equals(Buffer.from(content))).toBe(true);
  });

  it('retries an upload after a 502, since the PUT replaces, and stores it once', async () => {
    const { sim, source, call } = await setup({ source: { bucketId: EMPTY_BUCKET } });
    sim.faults.serverErrors = 1;
    await source.upload({ name: 'a.csv', contentType: 'text/csv', bytes: encode('x,y\n') }, call());
    expect(sim.log.filter((e) => e.method === 'PUT').map((e) => e.status)).toEqual([502, 201]);
    expect((await source.files(call()).page(0)).items.map((f) => f.name)).toEqual(['a.csv']);
  });

  it('reports a file the vendor finds too large (413) as a bad request, once, and lists nothing', async () => {
    const { sim, source, call } = await setup({ sim: { maxFileBytes: 8 }, source: { bucketId: EMPTY_BUCKET } });
    const error = await failure(
      source.upload({ name: 'big.csv', contentType: 'text/csv', bytes: encode('0123456789') }, call()),
    );
    expect(error.problem).toMatchObject({ kind: 'bad_request', vendorCode: 'RequestTooLong' });
    expect(calls(sim, 'PUT')).toBe(1);
    expect((await source.files(call()).page(0)).total).toBe(0);
  });

  it('refuses a file over maxUploadBytes before making any call', async () => {
    const { sim, source, call } = await setup({ source: { bucketId: EMPTY_BUCKET, maxUploadBytes: 4 } });
    const error = await failure(source.upload({ name: 'big.csv', contentType: 'text/csv', bytes: encode('12345') }, call()));
    expect(error.problem).toMatchObject({ kind: 'bad_request', fieldErrors: { bytes: [expect.stringContaining('5 bytes')] } });
    expect(await failure(source.upload({ name: 'a/b', contentType: 'text/csv', bytes: encode('1') }, call()))).toMatchObject({
      problem: { kind: 'bad_request' },
    });
    expect(sim.log).toHaveLength(0);
  });

  /** A fetch that flips the first byte of every PUT body, optionally hiding the checksum from the vendor. */
  function corruptingUploads(options: { hideChecksum: boolean }): FetchLike {
    return (input, init) => {
      if (init.method !== 'PUT' || !(init.body instanceof Uint8Array)) return fetch(input, init);
      const body = Uint8Array.from(init.body);
      body[0] = (body[0] ?? 0) ^ 0xff;
      const headers = { ...(init.headers as Record<string, string>) };
      if (options.hideChecksum) delete headers['x-checksum-sha256'];
      return fetch(input, { ...init, headers, body });
    };
  }

  it('fails an upload the vendor rejects as corrupted (checksum mismatch), without retrying, and lists nothing', async () => {
    const { sim, source, call } = await setup({
      source: { bucketId: EMPTY_BUCKET },
      core: { fetch: corruptingUploads({ hideChecksum: false }) },
    });
    const error = await failure(source.upload({ name: 'a.csv', contentType: 'text/csv', bytes: encode('a,b\n') }, call()));
    expect(error.problem).toMatchObject({ kind: 'bad_request', vendorCode: 'ChecksumMismatch' });
    expect(calls(sim, 'PUT')).toBe(1);
    expect((await source.files(call()).page(0)).total).toBe(0);
  });

  it('removes and reports a stored file whose checksum differs from what was sent', async () => {
    const { sim, source, call } = await setup({
      source: { bucketId: EMPTY_BUCKET },
      core: { fetch: corruptingUploads({ hideChecksum: true }) },
    });
    const error = await failure(source.upload({ name: 'a.csv', contentType: 'text/csv', bytes: encode('a,b\n') }, call()));
    expect(error.problem).toEqual({ kind: 'server_error' });
    expect(error.message).toContain('checksum');
    expect(error.message).toContain('removed');
    expect(sim.log.map((e) => e.method)).toEqual(['PUT', 'DELETE']);
    expect((await source.files(call()).page(0)).total).toBe(0);
  });

  it('fails a download whose bytes do not match the checksum the vendor announced', async () => {
    const tamper: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      if (init.method !== 'GET' || input.searchParams.has('page')) return response;
      const bytes = new Uint8Array(await response.arrayBuffer());
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
      return new Response(bytes, { status: response.status, headers: response.headers });
    };
    const { sim, source, call } = await setup({ core: { fetch: tamper } });
    const [name = ''] = seededNames(sim);
    const error = await failure(source.download(name, call()));
    expect(error.problem).toEqual({ kind: 'server_error' });
  });
});

describe('CareCloudSource limits', () => {
  it('rides out API Gateway throttling: 12 parallel reads at 2/s with a burst of 2 all succeed', async () => {
    const { sim, source, call } = await setup({ sim: { limits: { ratePerSecond: 2, burst: 2 } } });
    const names = seededNames(sim).slice(0, 12);
    const files = await Promise.all(names.map((name) => source.file(name, call())));
    expect(files.map((f) => f?.name)).toEqual(names);
    expect(sim.log.filter((e) => e.status === 200)).toHaveLength(12);
    const throttled = sim.log.filter((e) => e.status === 429).length;
    expect(throttled).toBeGreaterThan(0);
    expect(source.upstream.stats.rateLimited).toBe(throttled);
    // Throttled calls are not counted against the quota, by the vendor or by us.
    expect(sim.usage().used).toBe(12);
    expect((await source.quota()).used).toBe(12);
  }, 30_000);

  it('stops calling once the vendor says the monthly quota is used up, and resumes when the month turns', async () => {
    let offset = Date.parse('2026-03-31T23:00:00Z') - Date.now();
    const now = () => Date.now() + offset;
    const { sim, source, call } = await setup({
      sim: { clock: now, limits: { monthlyQuota: 5 } },
      source: { pageSize: 5 },
      core: { clock: { now } },
    });
    const paged = source.files(call());
    for (let index = 0; index < 5; index += 1) await paged.page(index);

    const hit = await failure(paged.page(5));
    const april = Date.parse('2026-04-01T00:00:00Z');
    expect(hit.problem).toEqual({ kind: 'quota_exhausted', resetAt: april });
    expect(hit.status).toBe(429);
    const logged = sim.log.length;

    const refusals = [
      () => paged.page(6),
      () => source.file('anything.pdf', call()),
      () => source.download('anything.pdf', call()),
      () => source.upload({ name: 'a.csv', contentType: 'text/csv', bytes: encode('x') }, call()),
    ];
    for (const attempt of refusals) {
      const started = Date.now();
      const error = await failure(attempt());
      expect(error.problem).toEqual<UpstreamProblem>({ kind: 'quota_exhausted', resetAt: april });
      expect(Date.now() - started).toBeLessThan(100);
    }
    expect(sim.log).toHaveLength(logged);
    expect(await source.quota()).toMatchObject({ month: '2026-03', used: 5, limit: 10_000, remaining: 0, exhausted: true });

    offset = april + 1000 - Date.now();
    expect((await source.files(call()).page(6)).items).toHaveLength(5);
    expect(sim.log).toHaveLength(logged + 1);
    expect(await source.quota()).toMatchObject({ month: '2026-04', used: 1, remaining: 9_999, exhausted: false });
    expect((await source.quota()).resetsAt).toEqual(new Date('2026-05-01T00:00:00Z'));
  });

  it('refuses calls without touching the vendor once its own count reaches the configured quota', async () => {
    const { sim, source, call } = await setup({ source: { monthlyQuota: 3, pageSize: 10 } });
    const paged = source.files(call());
    for (let index = 0; index < 3; index += 1) await paged.page(index);
    const error = await failure(paged.page(3));
    expect(error.problem).toEqual({ kind: 'quota_exhausted', resetAt: startOfNextMonth(Date.now()) });
    expect(sim.log).toHaveLength(3);
    expect(await source.quota()).toMatchObject({ used: 3, remaining: 0, exhausted: true });
  });
});
