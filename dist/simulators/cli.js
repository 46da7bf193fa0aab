/**
 * `npm run simulate -- <vendor> [--port N]`: one vendor simulator alone, under the real API's path prefix,
 * for people testing their own code against it. Credentials come from the vendor's environment variables
 * when set, else demo ones, and are printed (they are fake either way: this is a simulator).
 */
import { carecloudCli } from "./carecloud/cli-entry.js";
import { carehqCli } from "./carehq/cli-entry.js";
import { casewareCli } from "./caseware/cli-entry.js";
import { cliniceaCli } from "./clinicea/cli-entry.js";
import { genericCli } from "./generic/cli-entry.js";
const env = process.env;
const SIMULATORS = {
    carehq: (port) => carehqCli.start(port, carehqCli.envCredentials(env)),
    clinicea: (port) => cliniceaCli.start(port, cliniceaCli.envCredentials(env)),
    caseware: (port) => casewareCli.start(port, casewareCli.envCredentials(env)),
    carecloud: (port) => carecloudCli.start(port, carecloudCli.envCredentials(env)),
    generic: (port) => genericCli.start(port, genericCli.envCredentials(env)),
};
function usage(message) {
    console.error(`${message}\nusage: npm run simulate -- <${Object.keys(SIMULATORS).join('|')}> [--port N]`);
    process.exit(2);
}
async function main() {
    const [name, ...rest] = process.argv.slice(2);
    if (!name)
        usage('expected a vendor name, got nothing');
    const start = SIMULATORS[name];
    if (!start)
        usage(`expected one of ${Object.keys(SIMULATORS).join(', ')}, got "${name}"`);
    let port = 0;
    for (let i = 0; i < rest.length; i += 1) {
        if (rest[i] === '--port') {
            const value = Number(rest[i + 1]);
            if (!Number.isInteger(value) || value < 0 || value > 65535)
                usage(`expected --port to be 0..65535, got "${rest[i + 1] ?? ''}"`);
            port = value;
            i += 1;
        }
        else
            usage(`unknown argument "${rest[i]}"`);
    }
    const sim = await start(port);
    console.log(`${name} simulator listening`);
    console.log(`  base URL:    ${sim.baseUrl}`);
    for (const [key, value] of Object.entries(sim.credentials))
        console.log(`  ${key.padEnd(12)} ${value}`);
    for (const note of sim.notes ?? [])
        console.log(`  ${note}`);
    console.log(`  faults:      POST ${new URL(sim.baseUrl).origin}/__sim/faults  {"latencyMs":0,"serverErrors":0,"rateLimitBurst":0,"dropConnections":0}`);
    console.log(`  request log: GET  ${new URL(sim.baseUrl).origin}/__sim/log`);
    const stop = () => void sim.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
}
main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
//# sourceMappingURL=cli.js.map