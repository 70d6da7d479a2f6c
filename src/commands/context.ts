/**
 * What every command gets from the CLI: its parsed options, the environment, where to write, and a
 * logger built from the common options. Commands return an exit code or throw a SyncError.
 */
import type { Argv, CommonConfig, Env } from '../config.js';
import { createLogger, type Logger } from '../log.js';

export interface CommandContext {
  argv: Argv;
  env: Env;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** The logger the common options ask for: --quiet keeps errors only, --verbose adds requests. */
export function loggerFor(config: CommonConfig, stderr: NodeJS.WritableStream): Logger {
  return createLogger({
    format: config.logFormat,
    level: config.quiet ? 'error' : config.verbose ? 'debug' : 'info',
    write: (line) => void stderr.write(line),
  });
}

/**
 * Fields that repeat what a text line already says: only JSON log lines carry them (undefined for
 * text lines).
 */
export function jsonOnly(config: CommonConfig, fields: Record<string, unknown>): Record<string, unknown> | undefined {
  return config.logFormat === 'json' ? fields : undefined;
}
