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
  ])('says what it expected and what it got: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never puts a secret in its messages', () => {
    expect(() => loadConfig({ CAREHQ_API_SECRET: 'hunter2-hunter2', CAREHQ_API_KEY: 'k' })).toThrow(/^(?!.*hunter2).*$/s);
  });
});
