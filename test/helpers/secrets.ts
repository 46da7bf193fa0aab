/**
 * For security tests: a logger that keeps every line it writes (with the production redaction), and a scan
 * that fails when any configured key, secret or token appears in a log line or a response.
 */
import type { Logger } from 'pino';
import { expect } from 'vitest';
import { createLogger } from '../../src/server/logger.ts';

export interface CapturedLog {
  readonly logger: Logger;
  /** Every line written so far, as written. */
  readonly lines: string[];
}

export function capturingLogger(level = 'trace'): CapturedLog {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

/**
 * Fails naming where a secret appeared (never the secret itself). Secrets shorter than 8 characters are
 * refused: they would match by chance and prove nothing.
 */
export function expectNoSecrets(texts: Iterable<string>, secrets: readonly string[]): void {
  for (const secret of secrets) {
    if (secret.length < 8) throw new Error(`a secret of ${secret.length} characters is too short to scan for`);
  }
  let index = 0;
  for (const text of texts) {
    for (const [n, secret] of secrets.entries()) {
      expect(text.includes(secret), `secret #${n} appeared in text #${index}`).toBe(false);
    }
    index += 1;
  }
}
