import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('needs nothing for the demo: every vendor runs on its simulator', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.carehq.target).toEqual({ mode: 'simulator' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('talks to the real CareHQ when all its variables are set', () => {
    const config = loadConfig({
      CAREHQ_BASE_URL: 'https://api.carehq.co.uk/v1/',
      CAREHQ_ACCOUNT_ID: 'a',
      CAREHQ_API_KEY: 'k',
      CAREHQ_API_SECRET: 's',
    });
    expect(config.carehq.target).toMatchObject({ mode: 'live', baseUrl: 'https://api.carehq.co.uk/v1/' });
  });

  it.each([
    [{ PORT: 'eighty' }, 'expected PORT to be a whole number from 0 to 65535, got "eighty"'],
    [{ CAREHQ_API_KEY: 'k' }, 'expected CAREHQ_ACCOUNT_ID, CAREHQ_API_SECRET to be set for carehq'],
    [{ CAREHQ_ACCOUNT_ID: 'a', CAREHQ_API_KEY: 'k', CAREHQ_API_SECRET: 's' }, 'expected CAREHQ_BASE_URL to be set'],
    [{ CAREHQ_BASE_URL: 'not a url', CAREHQ_ACCOUNT_ID: 'a', CAREHQ_API_KEY: 'k', CAREHQ_API_SECRET: 's' }, 'expected CAREHQ_BASE_URL to be a URL, got "not a url"'],
    [{ CURSOR_SECRET: 'short' }, 'expected CURSOR_SECRET to have at least 16 characters, got 5'],
    [{ METRICS_ENABLED: 'maybe' }, 'METRICS_ENABLED: expected METRICS_ENABLED to be true or false (or 1/0, yes/no), got "maybe"'],
    [
      { GENERIC_WEBHOOK_SECRET: 'whsec_c2VjcmV0, hunter2-hunter2' },
      'GENERIC_WEBHOOK_SECRET: expected GENERIC_WEBHOOK_SECRET entry 2 to be whsec_ followed by base64, got 15 characters of something else',
    ],
  ])('says what it expected and what it got: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    [{ CAREHQ_API_SECRET: 'hunter2-hunter2', CAREHQ_API_KEY: 'k' }],
    [{ GENERIC_WEBHOOK_SECRET: 'hunter2-hunter2' }],
  ])('never puts a secret in its messages: %#', (env) => {
    expect(() => loadConfig(env)).toThrow(/^(?!.*hunter2).*$/s);
  });

  it('turns metrics on and accepts no webhook secret by default', () => {
    const config = loadConfig({});
    expect(config.metricsEnabled).toBe(true);
    expect(config.generic.webhookSecrets).toEqual([]);
  });

  it.each([
    ['false', false],
    ['0', false],
    ['no', false],
    ['TRUE', true],
    ['1', true],
  ])('reads METRICS_ENABLED=%s as %s', (value, enabled) => {
    expect(loadConfig({ METRICS_ENABLED: value }).metricsEnabled).toBe(enabled);
  });

  it('reads GENERIC_WEBHOOK_SECRET as a comma-separated list, for rotation', () => {
    const config = loadConfig({ GENERIC_WEBHOOK_SECRET: ' whsec_bmV3LXNlY3JldA==, whsec_b2xkLXNlY3JldA== ,' });
    expect(config.generic.webhookSecrets).toEqual(['whsec_bmV3LXNlY3JldA==', 'whsec_b2xkLXNlY3JldA==']);
    expect(Object.isFrozen(config.generic.webhookSecrets)).toBe(true);
  });
});
