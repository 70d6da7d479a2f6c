/**
 * Writing a file whole or not at all: the bytes go to a temp file in the target's folder (so the
 * final rename stays on one file system), which is flushed to disk (fsync) and then renamed over
 * the target. A crash, an error or a signal leaves the old file, or no file, never half of one.
 *
 * Temp files are named `.<target name>.<pid>.<random>.tmp`. One left by a killed process (SIGKILL
 * cannot be caught) is removed by the next write of the same target once its pid is gone.
 *
 * Used for regular files (and new paths) by {@link openOutput} in output-file.ts, which decides first
 * what a path is (a link is followed to its file; a device or FIFO is written through instead).
 *
 * @see openOutput
 */
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  createWriteStream,
  fsync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  type Stats,
  type WriteStream,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SyncError, UsageError } from './errors.js';
import { isAlive } from './process.js';
import type { OutputFile } from './output-file.js';

/** How {@link AtomicFile.open} creates a new file. */
export interface AtomicFileOptions {
  /** The mode of a new file; a replaced file keeps its own. Default 0o600 (owner only). */
  mode?: number;
}

/** A file is flushed in the background each time this many more bytes have been written. */
const FLUSH_BYTES = 32 << 20;
const FLUSH_CHECK_MS = 100;

/** A temp file on its way to becoming `target`. */
export class AtomicFile implements OutputFile {
  /** The absolute path the file will have once committed. */
  readonly target: string;
  /** The temp file being written. */
  readonly tempPath: string;
  /** Where to write the bytes. */
  readonly stream: WriteStream;
  readonly passThrough = false;
  readonly #flag: string;
  readonly #fd: number;
  #settled = false;
  /** The flush running in the background, and the bytes written when the last one started. */
  #flushing: Promise<void> | null = null;
  #flushedAt = 0;
  readonly #flusher: NodeJS.Timeout;

  private constructor(target: string, tempPath: string, fd: number, flag: string) {
    this.target = target;
    this.tempPath = tempPath;
    this.#fd = fd;
    this.#flag = flag;
    // Large chunks arrive (hundreds of KB); a larger buffer means fewer waits for 'drain'.
    this.stream = createWriteStream('', { fd, autoClose: false, highWaterMark: 1 << 20 });
    // A large file is flushed as it grows, on libuv's threads beside the writing: the kernel
    // otherwise holds every byte until the final fsync, which then waited for all of them (0.65 s
    // of a 4.4 s CSV export of 200k sessions, 330 MB).
    this.#flusher = setInterval(() => this.#flushInBackground(), FLUSH_CHECK_MS).unref();
  }

  #flushInBackground(): void {
    const written = this.stream.bytesWritten;
    if (this.#flushing !== null || this.#settled || written - this.#flushedAt < FLUSH_BYTES) return;
    this.#flushedAt = written;
    this.#flushing = new Promise<void>((done) => {
      // An error here shows again in the final fsync, which decides.
      fsync(this.#fd, () => {
        this.#flushing = null;
        done();
      });
    });
  }

  /**
   * Opens a temp file beside `path`. `flag` names the option in errors (`--out`). Throws a
   * UsageError, before anything is written, when the folder is missing, the path is a folder, or
   * the folder or an existing file cannot be written.
   */
  static open(path: string, flag: string, { mode = 0o600 }: AtomicFileOptions = {}): AtomicFile {
    const target = resolve(path);
    const folder = dirname(target);
    checkTarget(path, target, folder, flag);
    removeLeftovers(folder, basename(target));
    const tempPath = join(folder, `.${basename(target)}.${process.pid}.${randomTag()}.tmp`);
    let fd: number;
    try {
      // Owner-only by default, like the database: exports hold system prompts. A replaced file keeps its mode.
      fd = openSync(tempPath, 'wx', mode);
    } catch (error) {
      throw new UsageError(`${flag} ${path} cannot be written: ${describeFsError(error)} in folder ${folder}`, { cause: error });
    }
    const existing = statOrNull(target);
    if (existing) {
      try {
        chmodSync(tempPath, existing.mode & 0o7777);
      } catch {
        // Keeping the old mode is a courtesy; the owner-only default is safe.
      }
    }
    return new AtomicFile(target, tempPath, fd, flag);
  }

  /** Ends the stream, flushes the file to disk and renames it over the target. */
  async commit(): Promise<void> {
    if (this.#settled) throw new Error('the file was already committed or aborted');
    try {
      await new Promise<void>((done, fail) => {
        this.stream.once('error', fail);
        this.stream.end(() => done());
      });
      clearInterval(this.#flusher);
      await this.#flushing;
      fsyncSync(this.#fd);
      closeSync(this.#fd);
      this.#settled = true;
      renameSync(this.tempPath, this.target);
    } catch (error) {
      this.abort();
      throw new SyncError(`${this.#flag} ${this.target} could not be written: ${describeFsError(error)}; the old file (if any) is unchanged`, 1, { cause: error });
    }
    syncFolder(dirname(this.target));
  }

  /** Drops the temp file (synchronous, so a signal handler can call it). Safe to call twice. */
  abort(): void {
    clearInterval(this.#flusher);
    if (!this.#settled) {
      this.#settled = true;
      this.stream.destroy();
      try {
        closeSync(this.#fd);
      } catch {
        // Already closed by a failed commit.
      }
    }
    try {
      unlinkSync(this.tempPath);
    } catch {
      // Already gone (renamed or removed).
    }
  }
}

function checkTarget(path: string, target: string, folder: string, flag: string): void {
  const dir = statOrNull(folder);
  if (!dir) throw new UsageError(`${flag} ${path}: folder ${folder} does not exist; create it or choose another path`);
  if (!dir.isDirectory()) throw new UsageError(`${flag} ${path}: ${folder} is not a folder`);
  const file = statOrNull(target);
  if (file?.isDirectory()) throw new UsageError(`${flag} ${path} is a folder; name a file inside it`);
  if (file) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      throw new UsageError(`${flag} ${path} cannot be replaced: ${describeFsError(error)}; check its permissions`, { cause: error });
    }
  }
}

/** Removes `.<name>.<pid>.<hex>.tmp` files in `folder` whose process is gone. */
function removeLeftovers(folder: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return;
  }
  const prefix = `.${name}.`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const match = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(entry.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    // This process's own temp files are still being written.
    if (pid === process.pid || isAlive(pid)) continue;
    try {
      unlinkSync(join(folder, entry));
    } catch {
      // Another process removed it first, or it is not ours to remove.
    }
  }
}

/** Makes the rename itself durable. Not every file system lets a folder be fsynced; that is fine. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** A file-system error as a few words for the user (`permission denied`, `the disk is full`). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'EDQUOT') return 'disk quota exceeded';
  return code ?? (error as Error).message;
}

/**
 * Eight hex digits for a temp name. Not from node:crypto: the names need only differ (each temp file
 * is created exclusively, and a name taken fails the open rather than replacing a file), and loading
 * that module took about 6 ms of every export's start.
 */
export function randomTag(): string {
  return Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
}
