/**
 * Whether a module is the script node was started with (`node file`, `tsx file`, or through a symlink such as
 * an npm bin), so a file can be both imported by tests and run as a command.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
