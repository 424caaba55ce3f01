import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths whose values never reach a log line: the pass itself, bearer tokens, assertions, secrets.
 * A canary test proves it; add here rather than trusting call sites to remember.
 */
export const REDACTED_PATHS = [
  'temporaryAccessPass',
  '*.temporaryAccessPass',
  'pass',
  '*.pass',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'assertion',
  '*.assertion',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'clientSecret',
  '*.clientSecret',
  'value.authentication',
  '*.value.authentication',
];

/** Creates the JSON logger; pass a destination to capture lines in tests. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'tapdesk' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
