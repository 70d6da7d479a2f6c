/**
 * The one writer behind every output path (`export --out/--schema`, `report --html`): it looks at
 * what the path is before any row is read, and writes in the way that leaves that kind of thing what
 * it was.
 *
 * - A regular file, or a path where nothing is yet: written whole or not at all ({@link AtomicFile}:
 *   a temp file beside it, flushed and renamed over it).
 * - A symbolic link: followed (link after link); the file it ends at is replaced as above, and the
 *   link stays a link. A link that ends nowhere creates the file it names.
 * - A character or block device, a FIFO, or a link into `/proc/<pid>/fd/` or `/dev/fd/` (which is
 *   what `/dev/stdout` is): written straight through. There is nothing to rename and a device cannot
 *   be fsynced, so neither is tried; what was written cannot be taken back either.
 * - A folder, or a path under something that is not a folder: a UsageError (exit 2).
 */
import { closeSync, constants, createWriteStream, fstatSync, fsyncSync, lstatSync, open, readlinkSync, statSync, type Stats, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AtomicFile, describeFsError, type AtomicFileOptions } from './atomic-file.js';
import { SyncError, UsageError } from './errors.js';

/** An output on its way: write to `stream`, then `commit()` it or `abort()` it. */
export interface OutputFile {
  /** Where the bytes end up: the file a link led to, or the device or FIFO written through. */
  readonly target: string;
  /** True when the bytes go straight to a device or FIFO (nothing to roll back). */
  readonly passThrough: boolean;
  readonly stream: NodeJS.WritableStream;
  /** Ends the stream; a regular file is flushed and renamed into place. */
  commit(): Promise<void>;
  /** Drops what was written where that is possible (the temp file); synchronous, for signal handlers. */
  abort(): void;
}

/** What a path is, once its links are followed. */
export type OutputKind = { kind: 'file'; target: string } | { kind: 'stream'; target: string };

/** `/proc/self/fd/1`, `/proc/123/fd/4`, `/dev/fd/1`: links the kernel resolves to an open file, pipe or terminal. */
const FD_LINK = /^\/(?:proc\/(self|thread-self|\d+)(?:\/task\/\d+)?\/fd|dev\/fd)\/(\d+)$/;
/** As many links as Linux itself follows before ELOOP. */
const MAX_LINKS = 40;

/**
 * Follows `path` to what it names and says how to write there. Throws a UsageError naming `flag`
 * when it is a folder, lies under a file, or loops.
 */
export function classifyOutput(path: string, flag: string): OutputKind {
  let current = resolve(path);
  for (let links = 0; links <= MAX_LINKS; links++) {
    // Such a link reads as `pipe:[123]` or `/dev/pts/0`; opening the link itself reaches the open file.
    if (FD_LINK.test(current)) return { kind: 'stream', target: current };
    let stat: Stats;
    try {
      stat = lstatSync(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { kind: 'file', target: current };
      if (code === 'ENOTDIR') throw new UsageError(`${flag} ${path}: ${notFolderOf(current)} is a file, not a folder`);
      throw new UsageError(`${flag} ${path} cannot be used: ${describeFsError(error)}`, { cause: error });
    }
    if (stat.isSymbolicLink()) {
      current = resolve(dirname(current), readlinkSync(current));
      continue;
    }
    if (stat.isDirectory()) throw new UsageError(`${flag} ${path} is a folder; name a file inside it`);
    if (stat.isFile()) return { kind: 'file', target: current };
    if (stat.isSocket()) throw new UsageError(`${flag} ${path} is a socket; name a file, a FIFO or a device`);
    return { kind: 'stream', target: current };
  }
  throw new UsageError(`${flag} ${path}: too many symbolic links (a loop?)`);
}

/**
 * Opens `path` for writing as {@link classifyOutput} says. Asynchronous because opening a FIFO waits
 * for its reader, and the process must still take signals meanwhile. Errors name `flag`, exit 2.
 */
export async function openOutput(path: string, flag: string, options: OutputOptions = {}): Promise<OutputFile> {
  const where = classifyOutput(path, flag);
  if (where.kind === 'file') return AtomicFile.open(where.target, flag, options);
  if (options.stdout !== undefined && isOwnStdout(where.target)) return new StdoutOutput(where.target, options.stdout);
  let fd: number;
  try {
    // No O_CREAT, no O_TRUNC: the thing is there and stays as it is. O_APPEND, so `--out /dev/stdout
    // >> log` adds to the log instead of writing over its start.
    // (A plain fd, not a FileHandle: the stream owns it, and a FileHandle would close it when collected.)
    fd = await new Promise<number>((done, fail) =>
      open(where.target, constants.O_WRONLY | constants.O_APPEND | constants.O_NOCTTY, (error, opened) => (error ? fail(error) : done(opened))),
    );
  } catch (error) {
    throw new UsageError(`${flag} ${path} cannot be written: ${describeFsError(error)}`, { cause: error });
  }
  return new PassThroughFile(where.target, fd, flag);
}

/** How {@link openOutput} creates a new file, and what this process's stdout is. */
export interface OutputOptions extends AtomicFileOptions {
  /**
   * This process's stdout, which `/dev/stdout` names. It is written to as it is rather than opened
   * again: when stdout is a socket (a service manager's log, a parent process's pipe) it cannot be.
   */
  stdout?: NodeJS.WritableStream;
}

/** Writes `content` to `path` as {@link openOutput} does: whole or not at all for a file. */
export async function writeOutput(path: string, flag: string, content: string | Uint8Array, options?: OutputOptions): Promise<void> {
  const file = await openOutput(path, flag, options);
  try {
    file.stream.write(content);
    await file.commit();
  } catch (error) {
    file.abort();
    throw error;
  }
}

/** A device or FIFO, written as it is. */
class PassThroughFile implements OutputFile {
  readonly target: string;
  readonly passThrough = true;
  readonly stream: WriteStream;
  readonly #fd: number;
  readonly #flag: string;
  #closed = false;

  constructor(target: string, fd: number, flag: string) {
    this.target = target;
    this.#fd = fd;
    this.#flag = flag;
    this.stream = createWriteStream('', { fd, autoClose: false, highWaterMark: 1 << 20 });
  }

  async commit(): Promise<void> {
    try {
      await new Promise<void>((done, fail) => {
        this.stream.once('error', fail);
        this.stream.end(() => done());
      });
      // `/dev/stdout` redirected to a file is a regular file behind the link: that one can be flushed.
      if (fstatSync(this.#fd).isFile()) fsyncSync(this.#fd);
    } catch (error) {
      this.abort();
      throw new SyncError(`${this.#flag} ${this.target} could not be written: ${describeFsError(error)}`, 1, { cause: error });
    }
    this.#close();
  }

  abort(): void {
    this.stream.destroy();
    this.#close();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      closeSync(this.#fd);
    } catch {
      // Already closed.
    }
  }
}

/** True for `/proc/self/fd/1`, `/dev/fd/1` and `/proc/<this pid>/fd/1`. */
function isOwnStdout(target: string): boolean {
  const match = FD_LINK.exec(target);
  if (match === null || match[2] !== '1') return false;
  const owner = match[1];
  return owner === undefined || owner === 'self' || owner === 'thread-self' || owner === String(process.pid);
}

/** This process's stdout, named by a path: written to, flushed, left open (it is not ours to end). */
class StdoutOutput implements OutputFile {
  readonly target: string;
  readonly passThrough = true;
  readonly stream: NodeJS.WritableStream;

  constructor(target: string, stdout: NodeJS.WritableStream) {
    this.target = target;
    this.stream = stdout;
  }

  async commit(): Promise<void> {
    await new Promise<void>((done, fail) => this.stream.write('', (error?: Error | null) => (error ? fail(error) : done())));
  }

  abort(): void {
    // What reached stdout cannot be taken back; stdout itself stays open for the error line's sake.
  }
}

/** The nearest ancestor of `path` that exists and is not a folder (the cause of ENOTDIR). */
function notFolderOf(path: string): string {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if (!statSync(dir).isDirectory()) return dir;
    } catch {
      // Missing or itself under a file: look further up.
    }
  }
  return dirname(path);
}
