/**
 * The README's commands as a new user runs them: `npm start` (here its script, on a free port) and
 * `npm run simulate -- carehq`, each a real child process answering over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { gqlData } from '../helpers/graphql.ts';

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM');
});

/** Starts a script and resolves with the first stdout line matching `pattern`. */
function run(args: string[], env: Record<string, string>, pattern: RegExp): Promise<RegExpMatchArray> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no match for ${pattern} in:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

describe('npm start', () => {
  it('serves the demo on the built-in simulator with no configuration', async () => {
    const [, url] = await run(['src/main.ts'], { PORT: '0', LOG_LEVEL: 'silent' }, /GraphQL gateway ready at (\S+)/);
    const data = await gqlData<{ enquiries: { totalCount: number; nodes: Array<{ assignee: { name: string } | null }> } }>(
      url ?? '',
      '{ enquiries(first: 5) { totalCount nodes { assignee { name } } } }',
    );
    expect(data.enquiries.totalCount).toBeGreaterThanOrEqual(250);
    expect(data.enquiries.nodes).toHaveLength(5);
  });

  it('stops with a clear message when configuration is half done', async () => {
    await expect(run(['src/main.ts'], { PORT: '0', CAREHQ_API_KEY: 'k' }, /never matches/)).rejects.toThrow(
      /expected CAREHQ_ACCOUNT_ID, CAREHQ_API_SECRET to be set/,
    );
  });
});

describe('protected mode', () => {
  it.each([
    [{ NODE_ENV: 'production' }, /refusing to start with NODE_ENV=production: .*API_KEYS_FILE.*JWT_/],
    [{ HOST: '0.0.0.0' }, /refusing to start on HOST=0\.0\.0\.0: .*API_KEYS_FILE.*JWT_/],
  ])('npm start refuses to serve anonymous callers off loopback or in production: %j', async (env, message) => {
    await expect(run(['src/main.ts'], { PORT: '0', ...env }, /never matches/)).rejects.toThrow(message);
  });

  it('says it is in open local mode when it starts with no credentials configured', async () => {
    const [line] = await run(['src/main.ts'], { PORT: '0', LOG_LEVEL: 'silent' }, /Auth:\s+open local mode[^\n]*/);
    expect(line).toContain('loopback only');
  });
});

describe('npm run simulate', () => {
  it('starts the CareHQ simulator alone under /v1 with the credentials it prints', async () => {
    const [, baseUrl] = await run(['src/simulators/cli.ts', 'carehq', '--port', '0'], {}, /base URL:\s+(\S+)/);
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const unsigned = await fetch(`${baseUrl}/care-enquiries`);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error_type: 'unauthorized' });
  });

  it('refuses an unknown vendor with the list of known ones', async () => {
    await expect(run(['src/simulators/cli.ts', 'acme'], {}, /never matches/)).rejects.toThrow(/expected one of carehq, clinicea/);
  });
});
