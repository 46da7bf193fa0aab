/** pino: structured, fast, and with redaction so credentials cannot reach a log line by accident. */
import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['*.apiSecret', '*.apiKey', '*.clientSecret', '*.token', '*.authorization', '*.privateKey', '*.password', '*.headers', 'credentials'],
      censor: '[redacted]',
    },
  });
}
