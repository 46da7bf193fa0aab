/**
 * `npm run keys -- create ...` as an operator runs it: the key it prints once, the line it prints added to
 * API_KEYS_FILE, a gateway started from that file through loadConfig, and the key used over HTTP.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { runKeysCommand } from '../../src/server/auth/keys-cli.ts';
import { apiKey, bearer, RecordingClient } from '../helpers/auth.ts';
import { stacksPerTest } from '../helpers/gateway.ts';
import { capturingLogger, expectNoSecrets } from '../helpers/secrets.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vendor-graph-keys-'));
const ownStack = stacksPerTest();

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function npmKeys(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'keys', '--', ...args], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run keys -- create', () => {
  it('prints a key once with the line for API_KEYS_FILE; a gateway started from that file serves the key its scopes', async () => {
    const run = await npmKeys(['create', '--name', 'web', '--scopes', 'enquiries:read,users:read']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const key = /^\s+(vgk_[A-Za-z0-9_-]{43})$/m.exec(run.stdout)?.[1];
    const line = /^\s+(\{"name".*\})$/m.exec(run.stdout)?.[1];
    expect(key).toBeDefined();
    expect(line).toBeDefined();
    const record = JSON.parse(line ?? '{}') as { name: string; sha256: string; scopes: string[] };
    expect(record).toEqual({ name: 'web', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), scopes: ['enquiries:read', 'users:read'] });
    expect(line).not.toContain(key ?? 'vgk_');

    const file = join(dir, 'api-keys.json');
    writeFileSync(file, JSON.stringify([record], null, 2));
    const config = loadConfig({ API_KEYS_FILE: file, PUBLIC_URL: 'http://gateway.test' });
    expect(config.auth.mode).toBe('protected');

    const log = capturingLogger();
    const stack = await ownStack({ gateway: { auth: config.auth, publicUrl: 'http://gateway.test', logger: log.logger } });
    const client = new RecordingClient();
    const query = '{ enquiries(first: 1) { totalCount nodes { assignee { name } } } leads(first: 1) { nodes { id } } }';
    for (const headers of [apiKey(key ?? ''), bearer(key ?? '')]) {
      const reply = await client.gql<{ enquiries: { totalCount: number }; leads: unknown }>(stack.url, query, headers);
      expect(reply.status).toBe(200);
      expect(reply.body.data?.enquiries.totalCount).toBeGreaterThan(0);
      expect(reply.body.data?.leads).toBeNull();
      expect(reply.body.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([['leads', 'FORBIDDEN']]);
    }
    const anonymous = await client.gql(stack.url, query);
    expect(anonymous.status).toBe(401);
    expectNoSecrets([...log.lines, ...client.bodies], [key ?? '']);
  });

  it('makes a different key every time', () => {
    const [a, b] = [runKeysCommand(['create', '--name', 'a', '--scopes', '*']), runKeysCommand(['create', '--name', 'a', '--scopes', '*'])];
    const keyOf = (run: { stdout: string }) => /(vgk_\S+)/.exec(run.stdout)?.[1];
    expect(keyOf(a)).toMatch(/^vgk_/);
    expect(keyOf(a)).not.toBe(keyOf(b));
  });

  it.each([
    ['no command', [], /expected the command "create", got none/],
    ['an unknown command', ['delete', '--name', 'web'], /expected the command "create", got "delete"/],
    ['no name', ['create', '--scopes', 'users:read'], /expected --name NAME, got nothing/],
    ['a name with a space', ['create', '--name', 'my key', '--scopes', 'users:read'], /expected --name to be 1 to 64 letters.*got "my key"/],
    ['a name with a slash', ['create', '--name', '../web', '--scopes', 'users:read'], /got "\.\.\/web"/],
    ['no scopes', ['create', '--name', 'web'], /expected --scopes to list at least one scope, got none/],
    ['an unknown scope', ['create', '--name', 'web', '--scopes', 'users:read,admin'], /got unknown "admin"/],
    ['an unknown option', ['create', '--name', 'web', '--scopes', 'users:read', '--forever'], /Unknown option '--forever'/],
  ])('refuses %s with a clear message, a usage line and exit code 1, printing no key', (_case, args, message) => {
    // In process: the same function the script runs, without a child process per case.
    const run = runKeysCommand(args);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('usage: npm run keys -- create --name NAME --scopes SCOPE[,SCOPE...]');
    expect(run.stdout).toBe('');
  });

  it('as a command, exits non-zero on bad input with the message on stderr', async () => {
    const run = await npmKeys(['create', '--name', 'web', '--scopes', 'users:read,admin']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/got unknown "admin"/);
    expect(run.stdout).not.toContain('vgk_');
  });
});
