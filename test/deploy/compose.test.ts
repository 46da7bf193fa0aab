/**
 * compose.yaml cannot be run here (no Docker engine), so it is checked for what would break it: every variable
 * is one config.ts reads, every command and mounted file exists, the gateways' configuration loads with every
 * vendor live, and the simulator URLs it names are the ones serve-all really serves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.ts';
import { serveAll, VENDORS, type ServedSimulators } from '../../src/simulators/serve-all.ts';

interface Service {
  readonly build?: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly volumes?: readonly string[];
  readonly deploy?: { readonly replicas?: number };
  readonly depends_on?: Readonly<Record<string, unknown>>;
}

const text = readFileSync('compose.yaml', 'utf8');
const compose = parse(text, { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const gatewayEnv = services.gateway?.environment ?? {};
const simulatorEnv = services.simulators?.environment ?? {};

/** What compose would make of `${NAME:?message}` (a value the operator sets) and `${NAME:-default}`. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g, (_all, _name: string, kind?: string, rest?: string) =>
    kind === '-' ? (rest ?? '') : 'set-by-the-operator-'.padEnd(40, 'x'),
  );
}

let served: ServedSimulators | undefined;
afterAll(async () => {
  await served?.close();
});

describe('compose.yaml', () => {
  it('runs Redis, the simulators, three gateway replicas and nginx in front of them', () => {
    expect(Object.keys(services).sort()).toEqual(['gateway', 'nginx', 'redis', 'simulators']);
    expect(services.gateway?.deploy?.replicas).toBe(3);
    expect(Object.keys(services.gateway?.depends_on ?? {}).sort()).toEqual(['redis', 'simulators']);
    expect(Object.keys(services.nginx?.depends_on ?? {})).toEqual(['gateway']);
  });

  it('names only variables that src/config.ts reads', () => {
    const named = [
      ...Object.values(services).flatMap((service) => Object.keys(service.environment ?? {})),
      ...[...text.matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1] ?? ''),
    ];
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });

  it('runs only files the build produces, and mounts only files in the repository', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build !== undefined) expect(existsSync(`${service.build}/Dockerfile`), name).toBe(true);
      const [program, script] = service.command ?? [];
      if (program === 'node') expect(existsSync(String(script).replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')), `${name}: ${script}`).toBe(true);
      if (program === 'npm') {
        const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
        expect(Object.keys(scripts), name).toContain(service.command?.[2]);
      }
      for (const volume of service.volumes ?? []) expect(existsSync(volume.split(':')[0] ?? ''), `${name}: ${volume}`).toBe(true);
    }
  });

  it('gives the gateways a configuration that loads, with every vendor live and budgets in Redis', () => {
    const env = Object.fromEntries(Object.entries(gatewayEnv).map(([name, value]) => [name, interpolate(String(value))]));
    // What the Dockerfile sets for every container built from it.
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/ENV NODE_ENV=production HOST=0\.0\.0\.0 PORT=4000/);
    const config = loadConfig({ ...env, NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '4000' });
    for (const vendor of VENDORS) expect(config[vendor].target.mode, vendor).toBe('live');
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.auth.mode).toBe('protected');
  });

  it('points the gateways at the URLs and credentials serve-all really serves', async () => {
    const [, , ...args] = services.simulators?.command ?? [];
    const first = Number(args[args.indexOf('--port') + 1]);
    served = await serveAll({ env: simulatorEnv });
    const real = served.gatewayEnv;
    for (const [i, vendor] of VENDORS.entries()) {
      const name = `${vendor.toUpperCase()}_BASE_URL`;
      const url = new URL(String(gatewayEnv[name]));
      expect({ name, host: url.hostname, port: Number(url.port), path: url.pathname }).toEqual({
        name,
        host: 'simulators',
        port: first + i,
        path: new URL(String(real[name])).pathname,
      });
    }
    expect(new URL(String(gatewayEnv.GENERIC_TOKEN_URL)).pathname).toBe(new URL(String(real.GENERIC_TOKEN_URL)).pathname);
    const secrets = Object.keys(real).filter((name) => !/_URL$|_PER_|_BURST|_WINDOW_/.test(name));
    expect(Object.fromEntries(secrets.map((name) => [name, gatewayEnv[name]]))).toEqual(Object.fromEntries(secrets.map((name) => [name, real[name]])));
  });

  it('has nginx send every request to the gateway service on its port', () => {
    const conf = readFileSync('deploy/nginx.conf', 'utf8');
    const upstream = /upstream (\w+) \{\s*server ([\w-]+):(\d+);/.exec(conf);
    expect(upstream?.[2]).toBe('gateway');
    // The Dockerfile's PORT (checked above), which compose leaves alone.
    expect(Number(upstream?.[3])).toBe(4000);
    expect(gatewayEnv.PORT).toBeUndefined();
    expect(conf).toContain(`proxy_pass http://${upstream?.[1]};`);
    expect(conf).toMatch(/listen 8080;/);
    expect(services.nginx?.volumes?.[0]).toBe('./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
  });
});
