/**
 * Writing a file whole or not at all: the bytes go to a temp file beside the target, are flushed to
 * disk, then renamed over it. A reader (or a crash) sees the old file or the new one, never half.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SyncError, UsageError } from '../errors.js';

/** Writes `text` to `path` atomically; `flag` is the option that named the path, for errors. */
export function writeFileAtomic(path: string, text: string, flag: string): void {
  const target = resolve(path);
  // Same folder as the target: rename is atomic only within one file system.
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    writeSync(fd, text, null, 'utf8');
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const reason = `${flag} ${path} cannot be written (${code || (error as Error).message})`;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'EROFS' || code === 'ENOTDIR') {
      throw new UsageError(`${reason}; choose another path`, { cause: error });
    }
    throw new SyncError(reason, 1, { cause: error });
  }
}
