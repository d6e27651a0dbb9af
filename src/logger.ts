// Structured JSON logs on stdout (or `destination`, e.g. a test's capture), one line per event,
// with the level as a word ("level":"info"): what log pipelines and people filter on without
// knowing pino's numbers.
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    destination,
  );
}
