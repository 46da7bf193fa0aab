/**
 * `npm run simulate -- <vendor> [--port N] [--rate R] [--records N] [--strict]` (carecloud also `[--sftp-port N]`):
 * one vendor simulator alone, under the real API's path prefix, for people testing their own code against it.
 * Credentials come from the vendor's environment variables when set, else demo ones, and are printed (they
 * are fake either way: this is a simulator). `--rate` and `--records` are for load work: a limit other than
 * the documented one, and a main list large enough to measure draining; the records stay the same for the
 * same N. `--strict` serves only what the vendor documents: each simulator's undocumented.ts lists what it then
 * refuses or ignores. `--sftp-port` pins CareCloud's SFTP drop, so an SFTP client's settings survive a restart.
 */
import { carecloudCli } from './carecloud/cli-entry.ts';
import { carehqCli } from './carehq/cli-entry.ts';
import { casewareCli } from './caseware/cli-entry.ts';
import { cliniceaCli } from './clinicea/cli-entry.ts';
import { genericCli } from './generic/cli-entry.ts';

import type { SimKnobs } from './knobs.ts';

interface Started {
  readonly baseUrl: string;
  readonly credentials: Readonly<Record<string, string>>;
  readonly notes?: readonly string[];
  /** The rate limit and list size in force, in words. */
  readonly load?: string;
  close(): Promise<void>;
}

const env = process.env;
/** Options only some vendors take: CareCloud's SFTP drop port. */
interface VendorFlags {
  readonly sftpPort?: number;
}

const SIMULATORS: Readonly<Record<string, (port: number, knobs: SimKnobs, flags: VendorFlags) => Promise<Started>>> = {
  carehq: (port, knobs) => carehqCli.start(port, carehqCli.envCredentials(env), knobs),
  clinicea: (port, knobs) => cliniceaCli.start(port, cliniceaCli.envCredentials(env), knobs),
  caseware: (port, knobs) => casewareCli.start(port, casewareCli.envCredentials(env), knobs),
  carecloud: (port, knobs, flags) => carecloudCli.start(port, carecloudCli.envCredentials(env), knobs, flags.sftpPort),
  generic: (port, knobs) => genericCli.start(port, genericCli.envCredentials(env), knobs),
};

function usage(message: string): never {
  console.error(`${message}\nusage: npm run simulate -- <${Object.keys(SIMULATORS).join('|')}> [--port N] [--rate R] [--records N] [--strict] [--sftp-port N (carecloud)]`);
  process.exit(2);
}

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name) usage('expected a vendor name, got nothing');
  const start = SIMULATORS[name];
  if (!start) usage(`expected one of ${Object.keys(SIMULATORS).join(', ')}, got "${name}"`);
  let port = 0;
  const knobs: { rate?: number; records?: number; strict?: boolean } = {};
  const flags: { sftpPort?: number } = {};
  const whole = (flag: string, min: number, max: number, raw: string | undefined): number => {
    const value = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      usage(`expected ${flag} to be a whole number from ${min} to ${max}, got "${raw ?? ''}"`);
    }
    return value;
  };
  for (let i = 0; i < rest.length; i += 1) {
    const flag = rest[i];
    const raw = rest[i + 1];
    if (flag === '--strict') {
      knobs.strict = true;
      continue;
    }
    if (flag === '--port') port = whole('--port', 0, 65535, raw);
    else if (flag === '--rate') knobs.rate = whole('--rate', 1, 1_000_000, raw);
    else if (flag === '--records') knobs.records = whole('--records', 0, 1_000_000, raw);
    else if (flag === '--sftp-port' && name === 'carecloud') flags.sftpPort = whole('--sftp-port', 0, 65535, raw);
    else if (flag === '--sftp-port') usage(`--sftp-port is for carecloud, the one simulator with an SFTP drop, got it for ${name}`);
    else usage(`unknown argument "${flag}"`);
    i += 1;
  }
  const sim = await start(port, knobs, flags);
  console.log(`${name} simulator listening`);
  console.log(`  base URL:    ${sim.baseUrl}`);
  for (const [key, value] of Object.entries(sim.credentials)) console.log(`  ${key.padEnd(12)} ${value}`);
  for (const note of sim.notes ?? []) console.log(`  ${note}`);
  if (sim.load) console.log(`  load:        ${sim.load}`);
  if (knobs.strict) console.log('  strict:      only what the vendor documents is served');
  console.log(`  faults:      POST ${new URL(sim.baseUrl).origin}/__sim/faults  {"latencyMs":0,"serverErrors":0,"rateLimitBurst":0,"dropConnections":0}`);
  console.log(`  request log: GET  ${new URL(sim.baseUrl).origin}/__sim/log`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
