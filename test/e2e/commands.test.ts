/**
 * The README's commands as a new user runs them: `npm start` (here its script, on a free port) and
 * `npm run simulate -- carehq`, each a real child process answering over HTTP.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { gqlData } from '../helpers/graphql.ts';
import { processesPerTest } from '../helpers/processes.ts';

const start = processesPerTest();

/** Starts a script and resolves with the first output matching `pattern`. */
function run(args: string[], env: Record<string, string>, pattern: RegExp): Promise<RegExpMatchArray> {
  return start(args, env).waitFor(pattern);
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

describe('npm run build && npm run start:prod', () => {
  it('serves the demo from dist/ with plain node, no tsx', async () => {
    // npm test builds before the tests run; a lone vitest run builds here.
    if (!existsSync('dist/main.js')) execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
    const gateway = start(['dist/main.js'], { PORT: '0', LOG_LEVEL: 'silent' }, false);
    const [, url] = await gateway.waitFor(/GraphQL gateway ready at (\S+)/);
    const data = await gqlData<{ enquiries: { nodes: unknown[] } }>(url ?? '', '{ enquiries(first: 2) { nodes { id } } }');
    expect(data.enquiries.nodes).toHaveLength(2);
    expect(readFileSync('package.json', 'utf8')).toContain('"start:prod": "node dist/main.js"');
  });
});

describe('protected mode', () => {
  it.each([
    [{ NODE_ENV: 'production' }, /refusing to start with NODE_ENV=production: .*API_KEYS_FILE.*JWT_/],
    [{ HOST: '0.0.0.0' }, /refusing to start on HOST=0\.0\.0\.0: .*API_KEYS_FILE.*JWT_/],
  ])('npm start refuses to serve anonymous callers off loopback or in production: %j', async (env, message) => {
    await expect(run(['src/main.ts'], { PORT: '0', ...env }, /never matches/)).rejects.toThrow(message);
  });

  it('prints each simulator credentials and the CareCloud SFTP port, and keeps Apollo notices in the JSON log', async () => {
    const gateway = start(['src/main.ts'], { PORT: '0', LOG_LEVEL: 'info' });
    await gateway.waitFor(/generic\s+simulator at \S+\n\s+clientId=\S+ clientSecret=\S+ tokenUrl=\S+/);
    const output = gateway.output();
    expect(output).toMatch(/carehq\s+simulator at \S+\n\s+accountId=sim-demo-account apiKey=\S+ apiSecret=\S+/);
    expect(output).toMatch(/clinicea\s+simulator at \S+\n\s+apiKey=\S+/);
    expect(output).toMatch(/caseware\s+simulator at \S+\n\s+clientId=\S+ clientSecret=\S+/);
    expect(output).toMatch(/carecloud\s+simulator at \S+\n\s+apiKey=\S+ workspaceId=\S+ bucketId=\S+\n\s+SFTP drop on 127\.0\.0\.1 port \d+, user \S+/);
    const lines = output.split('\n');
    const banner = lines.filter((line) => !line.startsWith('{'));
    expect(banner.join('\n')).not.toContain('inline tracing');
    const notice = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg?: string });
    expect(notice.some((line) => line.msg?.startsWith('Enabling inline tracing'))).toBe(true);
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

  it('starts CareCloud with its SFTP drop on the port --sftp-port names', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    const [, sftpPort] = await run(['src/simulators/cli.ts', 'carecloud', '--port', '0', '--sftp-port', String(port)], {}, /SFTP: sftp -P (\d+) /);
    expect(Number(sftpPort)).toBe(port);
    // Something answers there: an SSH server greets first.
    const greeting = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', (chunk) => {
        resolve(chunk.toString());
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(greeting).toMatch(/^SSH-2\.0-/);
  });

  it('refuses --sftp-port for a vendor without an SFTP drop', async () => {
    await expect(run(['src/simulators/cli.ts', 'carehq', '--sftp-port', '2222'], {}, /never matches/)).rejects.toThrow(/--sftp-port is for carecloud/);
  });

  it('refuses an unknown vendor with the list of known ones', async () => {
    await expect(run(['src/simulators/cli.ts', 'acme'], {}, /never matches/)).rejects.toThrow(/expected one of carehq, clinicea/);
  });
});
