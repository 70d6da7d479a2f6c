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
import { closeSync, constants, createWriteStream, fstatSync, fsyncSync, lstatSync, open, readlinkSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AtomicFile, describeFsError } from './atomic-file.js';
import { SyncError, UsageError } from './errors.js';
/** `/proc/self/fd/1`, `/proc/123/fd/4`, `/dev/fd/1`: links the kernel resolves to an open file, pipe or terminal. */
const FD_LINK = /^\/(?:proc\/(self|thread-self|\d+)(?:\/task\/\d+)?\/fd|dev\/fd)\/(\d+)$/;
/** As many links as Linux itself follows before ELOOP. */
const MAX_LINKS = 40;
/**
 * Follows `path` to what it names and says how to write there. Throws a UsageError naming `flag`
 * when it is a folder, lies under a file, or loops.
 */
export function classifyOutput(path, flag) {
    let current = resolve(path);
    for (let links = 0; links <= MAX_LINKS; links++) {
        // Such a link reads as `pipe:[123]` or `/dev/pts/0`; opening the link itself reaches the open file.
        if (FD_LINK.test(current))
            return { kind: 'stream', target: current };
        let stat;
        try {
            stat = lstatSync(current);
        }
        catch (error) {
            const code = error.code;
            if (code === 'ENOENT')
                return { kind: 'file', target: current };
            if (code === 'ENOTDIR')
                throw new UsageError(`${flag} ${path}: ${notFolderOf(current)} is a file, not a folder`);
            throw new UsageError(`${flag} ${path} cannot be used: ${describeFsError(error)}`, { cause: error });
        }
        if (stat.isSymbolicLink()) {
            current = resolve(dirname(current), readlinkSync(current));
            continue;
        }
        if (stat.isDirectory())
            throw new UsageError(`${flag} ${path} is a folder; name a file inside it`);
        if (stat.isFile())
            return { kind: 'file', target: current };
        if (stat.isSocket())
            throw new UsageError(`${flag} ${path} is a socket; name a file, a FIFO or a device`);
        return { kind: 'stream', target: current };
    }
    throw new UsageError(`${flag} ${path}: too many symbolic links (a loop?)`);
}
/**
 * Opens `path` for writing as {@link classifyOutput} says. Asynchronous because opening a FIFO waits
 * for its reader, and the process must still take signals meanwhile. Errors name `flag`, exit 2.
 */
export async function openOutput(path, flag, options = {}) {
    const where = classifyOutput(path, flag);
    if (where.kind === 'file')
        return AtomicFile.open(where.target, flag, options);
    if (options.stdout !== undefined && isOwnStdout(where.target))
        return new StdoutOutput(where.target, options.stdout);
    let fd;
    try {
        // No O_CREAT, no O_TRUNC: the thing is there and stays as it is. O_APPEND, so `--out /dev/stdout
        // >> log` adds to the log instead of writing over its start.
        // (A plain fd, not a FileHandle: the stream owns it, and a FileHandle would close it when collected.)
        fd = await new Promise((done, fail) => open(where.target, constants.O_WRONLY | constants.O_APPEND | constants.O_NOCTTY, (error, opened) => (error ? fail(error) : done(opened))));
    }
    catch (error) {
        throw new UsageError(`${flag} ${path} cannot be written: ${describeFsError(error)}`, { cause: error });
    }
    return new PassThroughFile(where.target, fd, flag);
}
/** Writes `content` to `path` as {@link openOutput} does: whole or not at all for a file. */
export async function writeOutput(path, flag, content, options) {
    const file = await openOutput(path, flag, options);
    try {
        file.stream.write(content);
        await file.commit();
    }
    catch (error) {
        file.abort();
        throw error;
    }
}
/** A device or FIFO, written as it is. */
class PassThroughFile {
    target;
    passThrough = true;
    stream;
    #fd;
    #flag;
    #closed = false;
    constructor(target, fd, flag) {
        this.target = target;
        this.#fd = fd;
        this.#flag = flag;
        this.stream = createWriteStream('', { fd, autoClose: false, highWaterMark: 1 << 20 });
    }
    async commit() {
        try {
            await new Promise((done, fail) => {
                this.stream.once('error', fail);
                this.stream.end(() => done());
            });
            // `/dev/stdout` redirected to a file is a regular file behind the link: that one can be flushed.
            if (fstatSync(this.#fd).isFile())
                fsyncSync(this.#fd);
        }
        catch (error) {
            this.abort();
            throw new SyncError(`${this.#flag} ${this.target} could not be written: ${describeFsError(error)}`, 1, { cause: error });
        }
        this.#close();
    }
    abort() {
        this.stream.destroy();
        this.#close();
    }
    #close() {
        if (this.#closed)
            return;
        this.#closed = true;
        try {
            closeSync(this.#fd);
        }
        catch {
            // Already closed.
        }
    }
}
/** True for `/proc/self/fd/1`, `/dev/fd/1` and `/proc/<this pid>/fd/1`. */
function isOwnStdout(target) {
    const match = FD_LINK.exec(target);
    if (match === null || match[2] !== '1')
        return false;
    const owner = match[1];
    return owner === undefined || owner === 'self' || owner === 'thread-self' || owner === String(process.pid);
}
/** This process's stdout, named by a path: written to, flushed, left open (it is not ours to end). */
class StdoutOutput {
    target;
    passThrough = true;
    stream;
    constructor(target, stdout) {
        this.target = target;
        this.stream = stdout;
    }
    async commit() {
        await new Promise((done, fail) => this.stream.write('', (error) => (error ? fail(error) : done())));
    }
    abort() {
        // What reached stdout cannot be taken back; stdout itself stays open for the error line's sake.
    }
}
/** The nearest ancestor of `path` that exists and is not a folder (the cause of ENOTDIR). */
function notFolderOf(path) {
    for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
        try {
            if (!statSync(dir).isDirectory())
                return dir;
        }
        catch {
            // Missing or itself under a file: look further up.
        }
    }
    return dirname(path);
}
//# sourceMappingURL=output-file.js.map