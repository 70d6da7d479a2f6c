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
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, closeSync, constants, createWriteStream, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SyncError, UsageError } from './errors.js';
import { isAlive } from './process.js';
/** A temp file on its way to becoming `target`. */
export class AtomicFile {
    /** The absolute path the file will have once committed. */
    target;
    /** The temp file being written. */
    tempPath;
    /** Where to write the bytes. */
    stream;
    passThrough = false;
    #flag;
    #fd;
    #settled = false;
    constructor(target, tempPath, fd, flag) {
        this.target = target;
        this.tempPath = tempPath;
        this.#fd = fd;
        this.#flag = flag;
        // Large chunks arrive (hundreds of KB); a larger buffer means fewer waits for 'drain'.
        this.stream = createWriteStream('', { fd, autoClose: false, highWaterMark: 1 << 20 });
    }
    /**
     * Opens a temp file beside `path`. `flag` names the option in errors (`--out`). Throws a
     * UsageError, before anything is written, when the folder is missing, the path is a folder, or
     * the folder or an existing file cannot be written.
     */
    static open(path, flag, { mode = 0o600 } = {}) {
        const target = resolve(path);
        const folder = dirname(target);
        checkTarget(path, target, folder, flag);
        removeLeftovers(folder, basename(target));
        const tempPath = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
        let fd;
        try {
            // Owner-only by default, like the database: exports hold system prompts. A replaced file keeps its mode.
            fd = openSync(tempPath, 'wx', mode);
        }
        catch (error) {
            throw new UsageError(`${flag} ${path} cannot be written: ${describeFsError(error)} in folder ${folder}`, { cause: error });
        }
        const existing = statOrNull(target);
        if (existing) {
            try {
                chmodSync(tempPath, existing.mode & 0o7777);
            }
            catch {
                // Keeping the old mode is a courtesy; the owner-only default is safe.
            }
        }
        return new AtomicFile(target, tempPath, fd, flag);
    }
    /** Ends the stream, flushes the file to disk and renames it over the target. */
    async commit() {
        if (this.#settled)
            throw new Error('the file was already committed or aborted');
        try {
            await new Promise((done, fail) => {
                this.stream.once('error', fail);
                this.stream.end(() => done());
            });
            fsyncSync(this.#fd);
            closeSync(this.#fd);
            this.#settled = true;
            renameSync(this.tempPath, this.target);
        }
        catch (error) {
            this.abort();
            throw new SyncError(`${this.#flag} ${this.target} could not be written: ${describeFsError(error)}; the old file (if any) is unchanged`, 1, { cause: error });
        }
        syncFolder(dirname(this.target));
    }
    /** Drops the temp file (synchronous, so a signal handler can call it). Safe to call twice. */
    abort() {
        if (!this.#settled) {
            this.#settled = true;
            this.stream.destroy();
            try {
                closeSync(this.#fd);
            }
            catch {
                // Already closed by a failed commit.
            }
        }
        try {
            unlinkSync(this.tempPath);
        }
        catch {
            // Already gone (renamed or removed).
        }
    }
}
function checkTarget(path, target, folder, flag) {
    const dir = statOrNull(folder);
    if (!dir)
        throw new UsageError(`${flag} ${path}: folder ${folder} does not exist; create it or choose another path`);
    if (!dir.isDirectory())
        throw new UsageError(`${flag} ${path}: ${folder} is not a folder`);
    const file = statOrNull(target);
    if (file?.isDirectory())
        throw new UsageError(`${flag} ${path} is a folder; name a file inside it`);
    if (file) {
        try {
            accessSync(target, constants.W_OK);
        }
        catch (error) {
            throw new UsageError(`${flag} ${path} cannot be replaced: ${describeFsError(error)}; check its permissions`, { cause: error });
        }
    }
}
/** Removes `.<name>.<pid>.<hex>.tmp` files in `folder` whose process is gone. */
function removeLeftovers(folder, name) {
    let entries;
    try {
        entries = readdirSync(folder);
    }
    catch {
        return;
    }
    const prefix = `.${name}.`;
    for (const entry of entries) {
        if (!entry.startsWith(prefix) || !entry.endsWith('.tmp'))
            continue;
        const match = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(entry.slice(prefix.length));
        if (!match)
            continue;
        const pid = Number(match[1]);
        // This process's own temp files are still being written.
        if (pid === process.pid || isAlive(pid))
            continue;
        try {
            unlinkSync(join(folder, entry));
        }
        catch {
            // Another process removed it first, or it is not ours to remove.
        }
    }
}
/** Makes the rename itself durable. Not every file system lets a folder be fsynced; that is fine. */
function syncFolder(folder) {
    let fd;
    try {
        fd = openSync(folder, 'r');
        fsyncSync(fd);
    }
    catch {
        // Best effort.
    }
    finally {
        if (fd !== undefined)
            closeSync(fd);
    }
}
function statOrNull(path) {
    try {
        return statSync(path);
    }
    catch {
        return null;
    }
}
/** A file-system error as a few words for the user (`permission denied`, `the disk is full`). */
export function describeFsError(error) {
    const code = error.code;
    if (code === 'EACCES' || code === 'EPERM')
        return 'permission denied';
    if (code === 'ENOSPC')
        return 'the disk is full';
    if (code === 'EROFS')
        return 'read-only file system';
    if (code === 'EDQUOT')
        return 'disk quota exceeded';
    return code ?? error.message;
}
//# sourceMappingURL=atomic-file.js.map