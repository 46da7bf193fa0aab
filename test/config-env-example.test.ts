/**
 * `.env.example` names every variable config.ts reads, and nothing else; a `.env` is loaded into the
 * environment without overriding what is already set.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, DOT_ENV_PATH, loadConfig, loadDotEnv } from '../src/config.ts';

describe('.env.example', () => {
  const named = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter((name) => name !== undefined);

  it('lists every variable config.ts reads, once, and none it does not', () => {
    expect([...named].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('changes nothing when every line is uncommented as it is, with its default or blank', () => {
    const uncommented = Object.fromEntries(
      readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
        .split('\n')
        .map((line) => /^#\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
        .filter((match) => match !== null)
        // Examples rather than defaults (they turn something on), and the two whose default depends on NODE_ENV,
        // for which a blank value means off.
        .filter((match) => !['REDIS_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'GRAPHQL_SANDBOX', 'GRAPHQL_INTROSPECTION'].includes(match[1] ?? ''))
        .map((match) => [match[1], match[2]]),
    );
    expect(loadConfig(uncommented)).toEqual(loadConfig({}));
  });

  it('changes nothing when copied to .env as it is: every line is commented out', () => {
    const live = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(live).toEqual([]);
  });
});

describe('loading .env', () => {
  const set: string[] = [];
  afterEach(() => {
    for (const name of set.splice(0)) delete process.env[name];
  });

  it('is the project root .env', () => {
    expect(DOT_ENV_PATH).toBe(join(new URL('..', import.meta.url).pathname, '.env'));
  });

  it('loads a .env when present, and what the environment already has wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-env-'));
    const path = join(dir, '.env');
    writeFileSync(path, 'VG_TEST_FROM_FILE=file\nVG_TEST_BOTH=file\n# VG_TEST_COMMENTED=file\n');
    set.push('VG_TEST_FROM_FILE', 'VG_TEST_BOTH', 'VG_TEST_COMMENTED');
    process.env.VG_TEST_BOTH = 'environment';
    expect(loadDotEnv(path)).toEqual({ kind: 'loaded', path });
    expect([process.env.VG_TEST_FROM_FILE, process.env.VG_TEST_BOTH, process.env.VG_TEST_COMMENTED]).toEqual(['file', 'environment', undefined]);
  });

  it('does nothing without a file', () => {
    expect(loadDotEnv(join(tmpdir(), 'no-such-dir-vg', '.env'))).toEqual({ kind: 'absent' });
  });
});
