import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { LIVE_EVENT_DEFAULTS } from '../src/server/events/live-events.ts';

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

  it.each(['debug', 'DEBUG', ' Warn '])('reads LOG_LEVEL in any case: %s', (level) => {
    expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level.trim().toLowerCase());
  });

  it('refuses an unknown LOG_LEVEL, naming it', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
  });

  describe('OpenTelemetry tracing', () => {
    it('is off unless an OTLP endpoint is set, or when OTEL_SDK_DISABLED', () => {
      expect(loadConfig({}).tracing).toBeUndefined();
      expect(loadConfig({ OTEL_SERVICE_NAME: 'x' }).tracing).toBeUndefined();
      expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeUndefined();
    });

    it('sends to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, or to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given', () => {
      expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
        url: 'http://collector:4318/v1/traces',
        headers: {},
        serviceName: 'vendor-graph',
        sampler: 'parentbased_always_on',
        samplerRatio: 1,
      });
      const both = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b.example/otlp/traces' });
      expect(both.tracing?.url).toBe('https://b.example/otlp/traces');
    });

    it('reads the standard headers, service name and sampler variables', () => {
      const tracing = loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-honeycomb-team=abc%3D,x-dataset=one',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-dataset=traces',
        OTEL_SERVICE_NAME: 'graph-eu',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }).tracing;
      expect(tracing).toMatchObject({
        headers: { 'x-honeycomb-team': 'abc=', 'x-dataset': 'traces' },
        serviceName: 'graph-eu',
        sampler: 'parentbased_traceidratio',
        samplerRatio: 0.25,
      });
    });

    it.each([
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /OTEL_EXPORTER_OTLP_ENDPOINT to be an http\(s\) URL/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /http\/json or http\/protobuf.*"grpc"/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER_ARG: '2' }, /OTEL_TRACES_SAMPLER_ARG to be a number from 0 to 1/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER: 'jaeger_remote' }, /OTEL_TRACES_SAMPLER/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'secret-value-only' }, /OTEL_EXPORTER_OTLP_HEADERS to be key=value pairs/],
    ])('refuses %o with a message that names the variable', (env, message) => {
      expect(() => loadConfig(env)).toThrow(message);
    });

    it('never quotes a header value in its messages', () => {
      expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'k=%E0%A4%A' })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('%E0') as unknown }) as Error,
      );
    });
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

  describe('CareCloud SFTP', () => {
    const LIVE = { CARECLOUD_BASE_URL: 'https://abc.execute-api.eu-west-2.amazonaws.com/prod/', CARECLOUD_API_KEY: 'k', CARECLOUD_WORKSPACE_ID: 'ws', CARECLOUD_BUCKET_ID: 'b' };
    const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\n';
    const FINGERPRINT = 'SHA256:' + 'A'.repeat(43);
    const SFTP = { ...LIVE, CARECLOUD_SFTP_HOST: 'sftp.example.com', CARECLOUD_SFTP_USERNAME: 'care' };
    const noFile = (path: string): string => {
      throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    };

    it('is off unless configured', () => {
      expect(loadConfig(LIVE).carecloud.sftp).toBeUndefined();
      expect(loadConfig({}).carecloud.sftp).toBeUndefined();
    });

    it('takes an inline key with its line breaks written as \\n, port 22 and an unpadded fingerprint', () => {
      const config = loadConfig({ ...SFTP, CARECLOUD_SFTP_PRIVATE_KEY: KEY.replace(/\n/g, '\\n'), CARECLOUD_SFTP_HOST_KEY_SHA256: `${FINGERPRINT}=` });
      expect(config.carecloud.sftp).toEqual({ host: 'sftp.example.com', port: 22, username: 'care', privateKey: KEY, hostKeySha256: FINGERPRINT });
      expect(Object.isFrozen(config.carecloud.sftp)).toBe(true);
    });

    it('reads the key from CARECLOUD_SFTP_KEY_FILE', () => {
      const read: string[] = [];
      const config = loadConfig({ ...SFTP, CARECLOUD_SFTP_KEY_FILE: '/keys/care', CARECLOUD_SFTP_PORT: '2222' }, (path) => (read.push(path), KEY));
      expect(read).toEqual(['/keys/care']);
      expect(config.carecloud.sftp).toMatchObject({ port: 2222, privateKey: KEY, hostKeySha256: undefined });
    });

    it.each([
      [{ ...LIVE, CARECLOUD_SFTP_HOST: 'h' }, 'expected CARECLOUD_SFTP_USERNAME, CARECLOUD_SFTP_KEY_FILE or CARECLOUD_SFTP_PRIVATE_KEY to be set for CareCloud SFTP (or none of its variables), got nothing'],
      [{ CARECLOUD_SFTP_PORT: '2222' }, 'expected CARECLOUD_SFTP_HOST, CARECLOUD_SFTP_USERNAME, CARECLOUD_SFTP_KEY_FILE or CARECLOUD_SFTP_PRIVATE_KEY to be set'],
      [{ ...SFTP, CARECLOUD_SFTP_KEY_FILE: '/k', CARECLOUD_SFTP_PRIVATE_KEY: KEY }, 'expected one of CARECLOUD_SFTP_KEY_FILE and CARECLOUD_SFTP_PRIVATE_KEY, got both'],
      [
        { CARECLOUD_SFTP_HOST: 'h', CARECLOUD_SFTP_USERNAME: 'u', CARECLOUD_SFTP_PRIVATE_KEY: KEY },
        'expected CARECLOUD_BASE_URL, CARECLOUD_API_KEY, CARECLOUD_WORKSPACE_ID and CARECLOUD_BUCKET_ID to be set with CARECLOUD_SFTP_HOST',
      ],
      [{ ...SFTP, CARECLOUD_SFTP_PRIVATE_KEY: KEY, CARECLOUD_SFTP_PORT: '0' }, 'expected CARECLOUD_SFTP_PORT to be a whole number from 1 to 65535, got "0"'],
      [
        { ...SFTP, CARECLOUD_SFTP_PRIVATE_KEY: KEY, CARECLOUD_SFTP_HOST_KEY_SHA256: 'MD5:ab:cd' },
        'expected CARECLOUD_SFTP_HOST_KEY_SHA256 to be SHA256: and 43 base64 characters (as ssh-keygen -lf prints it), got "MD5:ab:cd"',
      ],
      [{ ...SFTP, CARECLOUD_SFTP_KEY_FILE: '/keys/missing' }, 'expected CARECLOUD_SFTP_KEY_FILE to name a readable file, got "/keys/missing" (ENOENT)'],
      [{ ...SFTP, CARECLOUD_SFTP_PRIVATE_KEY: 'hunter2-hunter2' }, 'expected CARECLOUD_SFTP_PRIVATE_KEY to hold a private key (-----BEGIN ... PRIVATE KEY-----), got 15 characters of something else'],
    ])('says what it expected and what it got: %j', (env, message) => {
      expect(() => loadConfig(env, noFile)).toThrow(message);
    });

    it('never puts the key in its messages', () => {
      expect(() => loadConfig({ ...SFTP, CARECLOUD_SFTP_PRIVATE_KEY: 'hunter2-hunter2' })).toThrow(/^(?!.*hunter2).*$/s);
      expect(() => loadConfig({ ...SFTP, CARECLOUD_SFTP_KEY_FILE: '/k' }, () => 'hunter2-hunter2')).toThrow(/^(?!.*hunter2).*$/s);
    });
  });

  describe('Clinicea token login', () => {
    const LIVE = { CLINICEA_BASE_URL: 'https://api.clinicea.com/api/v1/', CLINICEA_API_KEY: 'k' };

    it('sends the api header key unless a user name and password are set', () => {
      expect(loadConfig(LIVE).clinicea.auth).toEqual({ kind: 'header' });
      expect(loadConfig({}).clinicea.auth).toEqual({ kind: 'header' });
    });

    it('logs in for a token when CLINICEA_USERNAME and CLINICEA_PASSWORD are set', () => {
      const config = loadConfig({ ...LIVE, CLINICEA_USERNAME: ' front.desk ', CLINICEA_PASSWORD: 'pw' });
      expect(config.clinicea.auth).toEqual({ kind: 'token', username: 'front.desk', password: 'pw' });
      expect(Object.isFrozen(config.clinicea.auth)).toBe(true);
    });

    it.each([
      [{ ...LIVE, CLINICEA_USERNAME: 'u' }, 'expected CLINICEA_PASSWORD to be set with CLINICEA_USERNAME (token login needs both, or neither for the api header key), got nothing'],
      [{ ...LIVE, CLINICEA_PASSWORD: 'hunter2-hunter2' }, 'expected CLINICEA_USERNAME to be set with CLINICEA_PASSWORD (token login needs both, or neither for the api header key), got nothing'],
      [{ ...LIVE, CLINICEA_USERNAME: 'u', CLINICEA_PASSWORD: '  ' }, 'expected CLINICEA_PASSWORD to be set with CLINICEA_USERNAME'],
      [
        { CLINICEA_USERNAME: 'u', CLINICEA_PASSWORD: 'hunter2-hunter2' },
        'expected CLINICEA_BASE_URL and CLINICEA_API_KEY to be set with CLINICEA_USERNAME and CLINICEA_PASSWORD (the login trades the key for a token; the simulator takes the api header key), got nothing',
      ],
    ])('says what it expected and what it got: %j', (env, message) => {
      expect(() => loadConfig(env)).toThrow(message);
    });

    it.each([
      [{ ...LIVE, CLINICEA_PASSWORD: 'hunter2-hunter2' }],
      [{ CLINICEA_USERNAME: 'u', CLINICEA_PASSWORD: 'hunter2-hunter2' }],
    ])('never puts the password in its messages: %#', (env) => {
      expect(() => loadConfig(env)).toThrow(/^(?!.*hunter2).*$/s);
    });
  });

  it('reads GENERIC_WEBHOOK_SECRET as a comma-separated list, for rotation', () => {
    const config = loadConfig({ GENERIC_WEBHOOK_SECRET: ' whsec_bmV3LXNlY3JldA==, whsec_b2xkLXNlY3JldA== ,' });
    expect(config.generic.webhookSecrets).toEqual(['whsec_bmV3LXNlY3JldA==', 'whsec_b2xkLXNlY3JldA==']);
    expect(Object.isFrozen(config.generic.webhookSecrets)).toBe(true);
  });
  it('reads the Generic API window: 50 per 10 s unless GENERIC_REQUESTS_PER_WINDOW and GENERIC_WINDOW_SECONDS say', () => {
    expect(loadConfig({}).generic).toMatchObject({ requestsPerWindow: 50, windowSeconds: 10 });
    expect(loadConfig({ GENERIC_REQUESTS_PER_WINDOW: '10', GENERIC_WINDOW_SECONDS: '1' }).generic).toMatchObject({ requestsPerWindow: 10, windowSeconds: 1 });
    expect(() => loadConfig({ GENERIC_WINDOW_SECONDS: '0.5' })).toThrow('expected GENERIC_WINDOW_SECONDS to be a whole number from 1 to 86400, got "0.5"');
  });

  describe('who may call (protected mode)', () => {
    const HASH = 'a'.repeat(64);
    const KEYS = JSON.stringify([{ name: 'web', sha256: HASH, scopes: ['enquiries:read', 'users:read'] }]);
    const files = (content: string) => (path: string) => (path === '/etc/vg/keys.json' ? content : '');
    const SECRET = 'hunter2-hunter2-hunter2-hunter2-hunter2';

    it('is open local mode with nothing configured on loopback outside production', () => {
      expect(loadConfig({}).auth).toEqual({ mode: 'open' });
      expect(loadConfig({ HOST: '127.0.0.2' }).auth).toEqual({ mode: 'open' });
      expect(loadConfig({ HOST: '::1' }).auth).toEqual({ mode: 'open' });
      expect(loadConfig({ HOST: 'localhost', NODE_ENV: 'development' }).auth).toEqual({ mode: 'open' });
    });

    it.each([
      [{ HOST: '0.0.0.0' }, 'refusing to start on HOST=0.0.0.0'],
      [{ HOST: '10.1.2.3' }, 'refusing to start on HOST=10.1.2.3'],
      [{ NODE_ENV: 'production' }, 'refusing to start with NODE_ENV=production'],
    ])('refuses to start without credentials configured: %j', (env, start) => {
      expect(() => loadConfig(env)).toThrow(start);
      expect(() => loadConfig(env)).toThrow(/API_KEYS_FILE.*JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET with JWT_ISSUER and JWT_AUDIENCE/);
    });

    it('reads API_KEYS_FILE into frozen records and needs PUBLIC_URL with it', () => {
      const env = { API_KEYS_FILE: '/etc/vg/keys.json', HOST: '0.0.0.0', NODE_ENV: 'production', PUBLIC_URL: 'https://graph.example.com/' };
      const config = loadConfig(env, files(KEYS));
      expect(config.auth).toEqual({ mode: 'protected', apiKeys: [{ name: 'web', sha256: HASH, scopes: ['enquiries:read', 'users:read'] }], jwt: undefined });
      expect(config.publicUrl).toBe('https://graph.example.com');
      expect(Object.isFrozen(config.auth.mode === 'protected' && config.auth.apiKeys[0])).toBe(true);
      expect(() => loadConfig({ ...env, PUBLIC_URL: undefined }, files(KEYS))).toThrow(
        'expected PUBLIC_URL to be set with client authentication on (download links are built from it, never from the Host header), got nothing',
      );
    });

    it.each([
      ['not json', 'expected API_KEYS_FILE to name a readable JSON file, got "/etc/vg/keys.json" (not JSON)'],
      [JSON.stringify([{ name: 'web', sha256: 'zz', scopes: ['*'] }]), 'got a problem at 0.sha256: 64 lower-case hex digits'],
      [JSON.stringify([{ name: 'web', sha256: HASH, scopes: ['root'] }]), 'got a problem at 0.scopes.0'],
      [JSON.stringify([{ name: 'web', sha256: HASH, scopes: [] }]), 'got a problem at 0.scopes'],
      [JSON.stringify([{ name: 'a/b', sha256: HASH, scopes: ['*'] }]), 'got a problem at 0.name'],
      [JSON.stringify({ name: 'web' }), 'got a problem at the top'],
      [
        JSON.stringify([
          { name: 'web', sha256: HASH, scopes: ['*'] },
          { name: 'web', sha256: 'b'.repeat(64), scopes: ['*'] },
        ]),
        'expected API_KEYS_FILE names to be unique, got "web" twice',
      ],
    ])('says what is wrong with API_KEYS_FILE: %s', (content, message) => {
      expect(() => loadConfig({ API_KEYS_FILE: '/etc/vg/keys.json', PUBLIC_URL: 'http://localhost:4000' }, files(content))).toThrow(message);
    });

    it('names an unreadable API_KEYS_FILE by its error code', () => {
      const missing = (path: string): string => {
        throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      };
      expect(() => loadConfig({ API_KEYS_FILE: '/nope.json', PUBLIC_URL: 'http://localhost:4000' }, missing)).toThrow(
        'expected API_KEYS_FILE to name a readable JSON file, got "/nope.json" (ENOENT)',
      );
    });

    it.each([
      [{ JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json' }, { kind: 'jwks', url: 'https://id.example.com/.well-known/jwks.json' }],
      [{ JWT_JWKS_URL: 'http://127.0.0.1:9000/jwks' }, { kind: 'jwks', url: 'http://127.0.0.1:9000/jwks' }],
      [{ JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nMIIB\\n-----END PUBLIC KEY-----' }, { kind: 'public_key', pem: '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----' }],
      [{ JWT_SECRET: SECRET }, { kind: 'secret', secret: SECRET }],
    ])('takes one JWT key source with issuer and audience: %j', (source, key) => {
      const config = loadConfig({ ...source, JWT_ISSUER: 'https://id.example.com/', JWT_AUDIENCE: 'vendor-graph', PUBLIC_URL: 'http://localhost:4000' });
      expect(config.auth).toEqual({ mode: 'protected', apiKeys: [], jwt: { key, issuer: 'https://id.example.com/', audience: 'vendor-graph' } });
    });

    it.each([
      [{ JWT_SECRET: SECRET, JWT_JWKS_URL: 'https://id.example.com/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' }, 'expected exactly one of JWT_JWKS_URL, JWT_PUBLIC_KEY and JWT_SECRET, got JWT_JWKS_URL and JWT_SECRET'],
      [{ JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' }, 'expected exactly one of JWT_JWKS_URL, JWT_PUBLIC_KEY and JWT_SECRET, got none'],
      [{ JWT_SECRET: SECRET }, 'expected JWT_ISSUER and JWT_AUDIENCE to be set with JWT_SECRET, got nothing'],
      [{ JWT_SECRET: SECRET, JWT_ISSUER: 'i' }, 'expected JWT_AUDIENCE to be set with JWT_SECRET, got nothing'],
      [{ JWT_SECRET: 'hunter2-short', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' }, 'expected JWT_SECRET to have at least 32 bytes (HS256 needs a 256-bit key), got 13'],
      [{ JWT_JWKS_URL: 'http://id.example.com/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' }, 'expected JWT_JWKS_URL to be an https URL (http only on loopback), got "http://id.example.com/jwks"'],
      [{ JWT_PUBLIC_KEY: 'hunter2-hunter2', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' }, 'expected JWT_PUBLIC_KEY to be a PEM public key (-----BEGIN PUBLIC KEY-----), got 15 characters of something else'],
    ])('says what is wrong with the JWT settings: %j', (env, message) => {
      expect(() => loadConfig({ ...env, PUBLIC_URL: 'http://localhost:4000' })).toThrow(message);
    });

    it.each([
      [{ JWT_SECRET: 'hunter2-short', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' }],
      [{ JWT_PUBLIC_KEY: 'hunter2-hunter2', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' }],
      [{ JWT_SECRET: SECRET }],
    ])('never puts a JWT secret in its messages: %#', (env) => {
      expect(() => loadConfig({ ...env, PUBLIC_URL: 'http://localhost:4000' })).toThrow(/^(?!.*hunter2).*$/s);
    });
  });

  describe('limits, browsers and production mode', () => {
    it('bounds live events as the gateway does by default, and refuses a bound of zero', () => {
      expect(loadConfig({}).liveEvents).toEqual({
        maxSubscriptionsPerClient: LIVE_EVENT_DEFAULTS.maxSubscriptionsPerClient,
        maxQueuedEvents: LIVE_EVENT_DEFAULTS.maxQueuedEvents,
      });
      expect(loadConfig({ MAX_SUBSCRIPTIONS_PER_CLIENT: '3', MAX_QUEUED_EVENTS: '7' }).liveEvents).toEqual({ maxSubscriptionsPerClient: 3, maxQueuedEvents: 7 });
      expect(() => loadConfig({ MAX_QUEUED_EVENTS: '0' })).toThrow(/MAX_QUEUED_EVENTS/);
    });

    it('has the documented defaults', () => {
      const config = loadConfig({});
      expect(config.limits).toEqual({
        maxAliases: 15,
        maxDepth: 12,
        maxTokens: 2000,
        maxDirectives: 50,
        maxCost: config.limits.maxCost,
        maxEntityRepresentations: 500,
        maxUpstreamCallsPerRequest: 60,
      });
      expect(config.clientRequestsPerMinute).toBe(600);
      expect(config.downloadUrlTtlS).toBe(300);
      expect(config.corsOrigins).toBeUndefined();
      expect(config.production).toBe(false);
    });

    it('keeps introspection and the sandbox on outside production unless turned off', () => {
      expect(loadConfig({})).toMatchObject({ introspection: true, sandbox: true });
      expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false', GRAPHQL_SANDBOX: 'no' })).toMatchObject({ introspection: false, sandbox: false });
    });

    it('turns introspection and the sandbox off in production unless asked for', () => {
      const prod = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', PUBLIC_URL: 'https://graph.example.com' };
      expect(loadConfig(prod)).toMatchObject({ production: true, introspection: false, sandbox: false });
      expect(loadConfig({ ...prod, GRAPHQL_INTROSPECTION: 'true', GRAPHQL_SANDBOX: 'true' })).toMatchObject({ introspection: true, sandbox: true });
      expect(loadConfig({ ...prod, GRAPHQL_SANDBOX: 'apollo' }).sandbox).toBe('apollo');
    });

    it.each([
      ['apollo', 'apollo'],
      ['Apollo', 'apollo'],
      ['true', true],
      ['yes', true],
      ['false', false],
      ['', false],
    ] as const)('reads GRAPHQL_SANDBOX=%s as %s (true: the self-hosted GraphiQL; apollo: Apollo Sandbox)', (value, sandbox) => {
      expect(loadConfig({ GRAPHQL_SANDBOX: value }).sandbox).toBe(sandbox);
    });

    it('says what GRAPHQL_SANDBOX may be', () => {
      expect(() => loadConfig({ GRAPHQL_SANDBOX: 'graphiql' })).toThrow('expected GRAPHQL_SANDBOX to be true, false or apollo, got "graphiql"');
    });

    it('reads CORS_ORIGINS as a list of origins', () => {
      expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    });

    it.each([
      [{ CORS_ORIGINS: 'https://app.example.com/path' }, 'expected CORS_ORIGINS entries to be origins like https://app.example.com (scheme, host, optional port, no path), got "https://app.example.com/path"'],
      [{ CORS_ORIGINS: '*' }, 'got "*"'],
      [{ DOWNLOAD_URL_TTL_S: '0' }, 'expected DOWNLOAD_URL_TTL_S to be a whole number from 1 to 31536000, got "0"'],
      [{ MAX_UPSTREAM_CALLS_PER_REQUEST: 'lots' }, 'expected MAX_UPSTREAM_CALLS_PER_REQUEST to be a whole number'],
      [{ PUBLIC_URL: 'ftp://graph.example.com' }, 'expected PUBLIC_URL to be an http(s) origin such as https://graph.example.com, got "ftp://graph.example.com"'],
    ])('says what it expected and what it got: %j', (env, message) => {
      expect(() => loadConfig(env)).toThrow(message);
    });
  });
});
