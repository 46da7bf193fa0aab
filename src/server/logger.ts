/** pino: structured, fast, and with redaction so credentials cannot reach a log line by accident. */
import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * `destination` defaults to stdout; tests pass a stream to read every line back. `level` is any case
 * (`LOG_LEVEL=DEBUG` works).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level: level.toLowerCase(),
      redact: {
        paths: ['*.apiSecret', '*.apiKey', '*.clientSecret', '*.token', '*.authorization', '*.privateKey', '*.password', '*.headers', 'credentials'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
