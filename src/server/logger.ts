/** pino: structured, fast, and with redaction so credentials cannot reach a log line by accident. */
import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './request-id.ts';

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
      // Every line written while a request is handled carries its id, whichever logger wrote it (the core's,
      // a store's, Apollo's): the id lives in async-local storage for the whole request (request-id.ts). A
      // child logger already bound to the id (the resolvers' context.logger) is not given it twice.
      mixin(merge, _level, logger) {
        const id = currentRequestId();
        if (id === undefined || 'requestId' in merge || logger.bindings().requestId !== undefined) return {};
        return { requestId: id };
      },
    },
    destination,
  );
}
