/** `anam-sync report` (being built). */
import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

export async function reportCommand(_context: CommandContext): Promise<number> {
  throw new UsageError('report is not available yet');
}
