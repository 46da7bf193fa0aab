/** pino: structured, fast, and with redaction so credentials cannot reach a log line by accident. */
import { pino } from 'pino';
/** `destination` defaults to stdout; tests pass a stream to read every line back. */
export function createLogger(level, destination) {
    return pino({
        level,
        redact: {
            paths: ['*.apiSecret', '*.apiKey', '*.clientSecret', '*.token', '*.authorization', '*.privateKey', '*.password', '*.headers', 'credentials'],
            censor: '[redacted]',
        },
    }, destination);
}
//# sourceMappingURL=logger.js.map