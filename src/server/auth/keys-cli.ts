/**
 * `npm run keys -- create --name web --scopes enquiries:read,users:read`: makes a new API key and prints it
 * once, with the line to add to API_KEYS_FILE. The key itself is stored nowhere: the file holds only its
 * SHA-256, so a lost key is replaced, never recovered.
 */
import { parseArgs } from 'node:util';
import { SCOPES, isScope } from '../../domain/access.ts';
import { hashApiKey, newApiKey } from './api-keys.ts';
import { isEntryPoint } from '../../entry-point.ts';

/** The rule config.ts applies to names in API_KEYS_FILE: the name is the client's identity in logs and limits. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const USAGE = `usage: npm run keys -- create --name NAME --scopes SCOPE[,SCOPE...]
  NAME    letters, digits, dot, dash or underscore (1 to 64, starting with a letter or digit)
  SCOPES  comma-separated, from: ${SCOPES.join(', ')}`;

export interface KeysCommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command on `argv` (the words after `npm run keys --`); prints nothing itself. */
export function runKeysCommand(argv: readonly string[], makeKey: () => string = newApiKey): KeysCommandResult {
  const fail = (message: string): KeysCommandResult => ({ exitCode: 1, stdout: '', stderr: `${message}\n\n${USAGE}\n` });
  const parsed = parse(argv);
  if (parsed instanceof Error) return fail(parsed.message);
  const { values, positionals } = parsed;
  if (values.help) return { exitCode: 0, stdout: `${USAGE}\n`, stderr: '' };
  if (positionals.length !== 1 || positionals[0] !== 'create') {
    return fail(`expected the command "create", got ${positionals.length === 0 ? 'none' : `"${positionals.join(' ')}"`}`);
  }
  const name = values.name?.trim() ?? '';
  if (name === '') return fail('expected --name NAME, got nothing');
  if (!NAME.test(name)) {
    return fail(`expected --name to be 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit, got "${name}"`);
  }
  const scopes = [...new Set((values.scopes ?? '').split(',').map((scope) => scope.trim()).filter((scope) => scope !== ''))];
  if (scopes.length === 0) return fail('expected --scopes to list at least one scope, got none');
  const unknown = scopes.filter((scope) => !isScope(scope));
  if (unknown.length > 0) return fail(`expected --scopes from the known scopes, got unknown ${unknown.map((scope) => `"${scope}"`).join(', ')}`);

  const key = makeKey();
  const line = JSON.stringify({ name, sha256: hashApiKey(key), scopes });
  const stdout = [
    `New API key "${name}". It is shown only this once; store it where the client keeps its secrets:`,
    '',
    `  ${key}`,
    '',
    'Add this entry to the JSON array in the file API_KEYS_FILE names, then restart the gateway:',
    '',
    `  ${line}`,
    '',
    'Clients send it as "x-api-key: <key>" or "Authorization: Bearer <key>".',
    '',
  ].join('\n');
  return { exitCode: 0, stdout, stderr: '' };
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { name: { type: 'string' }, scopes: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}


if (isEntryPoint(import.meta.url)) {
  const result = runKeysCommand(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}
