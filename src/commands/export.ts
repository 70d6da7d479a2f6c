/** `anam-sync export` (being built). */
import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

export async function exportCommand(_context: CommandContext): Promise<number> {
  throw new UsageError('export is not available yet');
}
