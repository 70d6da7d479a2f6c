import {
  isAlive
} from "./chunk-I6OMP3F5.js";
import {
  optionalString
} from "./chunk-C6BDQT25.js";
import {
  SyncError,
  UsageError
} from "./chunk-IEG2ED32.js";

// dist/atomic-file.js
import { randomBytes } from "node:crypto";
import { accessSync, chmodSync, closeSync, constants, createWriteStream, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
var AtomicFile = class _AtomicFile {
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
    this.stream = createWriteStream("", { fd, autoClose: false, highWaterMark: 1 << 20 });
  }
  /**
   * Opens a temp file beside `path`. `flag` names the option in errors (`--out`). Throws a
   * UsageError, before anything is written, when the folder is missing, the path is a folder, or
   * the folder or an existing file cannot be written.
   */
  static open(path, flag, { mode = 384 } = {}) {
    const target = resolve(path);
    const folder = dirname(target);
    checkTarget(path, target, folder, flag);
    removeLeftovers(folder, basename(target));
    const tempPath = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    let fd;
    try {
      fd = openSync(tempPath, "wx", mode);
    } catch (error) {
      throw new UsageError(`${flag} ${path} cannot be written: ${describeFsError(error)} in folder ${folder}`, { cause: error });
    }
    const existing = statOrNull(target);
    if (existing) {
      try {
        chmodSync(tempPath, existing.mode & 4095);
      } catch {
      }
    }
    return new _AtomicFile(target, tempPath, fd, flag);
  }
  /** Ends the stream, flushes the file to disk and renames it over the target. */
  async commit() {
    if (this.#settled)
      throw new Error("the file was already committed or aborted");
    try {
      await new Promise((done, fail) => {
        this.stream.once("error", fail);
        this.stream.end(() => done());
      });
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
  abort() {
    if (!this.#settled) {
      this.#settled = true;
      this.stream.destroy();
      try {
        closeSync(this.#fd);
      } catch {
      }
    }
    try {
      unlinkSync(this.tempPath);
    } catch {
    }
  }
};
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
    } catch (error) {
      throw new UsageError(`${flag} ${path} cannot be replaced: ${describeFsError(error)}; check its permissions`, { cause: error });
    }
  }
}
function removeLeftovers(folder, name) {
  let entries;
  try {
    entries = readdirSync(folder);
  } catch {
    return;
  }
  const prefix = `.${name}.`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith(".tmp"))
      continue;
    const match = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(entry.slice(prefix.length));
    if (!match)
      continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isAlive(pid))
      continue;
    try {
      unlinkSync(join(folder, entry));
    } catch {
    }
  }
}
function syncFolder(folder) {
  let fd;
  try {
    fd = openSync(folder, "r");
    fsyncSync(fd);
  } catch {
  } finally {
    if (fd !== void 0)
      closeSync(fd);
  }
}
function statOrNull(path) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
function describeFsError(error) {
  const code = error.code;
  if (code === "EACCES" || code === "EPERM")
    return "permission denied";
  if (code === "ENOSPC")
    return "the disk is full";
  if (code === "EROFS")
    return "read-only file system";
  if (code === "EDQUOT")
    return "disk quota exceeded";
  return code ?? error.message;
}

// dist/output-file.js
import { closeSync as closeSync2, constants as constants2, createWriteStream as createWriteStream2, fstatSync, fsyncSync as fsyncSync2, lstatSync, open, readlinkSync, statSync as statSync2 } from "node:fs";
import { dirname as dirname2, resolve as resolve2 } from "node:path";
var FD_LINK = /^\/(?:proc\/(self|thread-self|\d+)(?:\/task\/\d+)?\/fd|dev\/fd)\/(\d+)$/;
var MAX_LINKS = 40;
function classifyOutput(path, flag) {
  let current = resolve2(path);
  for (let links = 0; links <= MAX_LINKS; links++) {
    if (FD_LINK.test(current))
      return { kind: "stream", target: current };
    let stat;
    try {
      stat = lstatSync(current);
    } catch (error) {
      const code = error.code;
      if (code === "ENOENT")
        return { kind: "file", target: current };
      if (code === "ENOTDIR")
        throw new UsageError(`${flag} ${path}: ${notFolderOf(current)} is a file, not a folder`);
      throw new UsageError(`${flag} ${path} cannot be used: ${describeFsError(error)}`, { cause: error });
    }
    if (stat.isSymbolicLink()) {
      current = resolve2(dirname2(current), readlinkSync(current));
      continue;
    }
    if (stat.isDirectory())
      throw new UsageError(`${flag} ${path} is a folder; name a file inside it`);
    if (stat.isFile())
      return { kind: "file", target: current };
    if (stat.isSocket())
      throw new UsageError(`${flag} ${path} is a socket; name a file, a FIFO or a device`);
    return { kind: "stream", target: current };
  }
  throw new UsageError(`${flag} ${path}: too many symbolic links (a loop?)`);
}
async function openOutput(path, flag, options = {}) {
  const where = classifyOutput(path, flag);
  if (where.kind === "file")
    return AtomicFile.open(where.target, flag, options);
  if (options.stdout !== void 0 && isOwnStdout(where.target))
    return new StdoutOutput(where.target, options.stdout);
  let fd;
  try {
    fd = await new Promise((done, fail) => open(where.target, constants2.O_WRONLY | constants2.O_APPEND | constants2.O_NOCTTY, (error, opened) => error ? fail(error) : done(opened)));
  } catch (error) {
    throw new UsageError(`${flag} ${path} cannot be written: ${describeFsError(error)}`, { cause: error });
  }
  return new PassThroughFile(where.target, fd, flag);
}
async function writeOutput(path, flag, content, options) {
  const file = await openOutput(path, flag, options);
  try {
    file.stream.write(content);
    await file.commit();
  } catch (error) {
    file.abort();
    throw error;
  }
}
var PassThroughFile = class {
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
    this.stream = createWriteStream2("", { fd, autoClose: false, highWaterMark: 1 << 20 });
  }
  async commit() {
    try {
      await new Promise((done, fail) => {
        this.stream.once("error", fail);
        this.stream.end(() => done());
      });
      if (fstatSync(this.#fd).isFile())
        fsyncSync2(this.#fd);
    } catch (error) {
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
      closeSync2(this.#fd);
    } catch {
    }
  }
};
function isOwnStdout(target) {
  const match = FD_LINK.exec(target);
  if (match === null || match[2] !== "1")
    return false;
  const owner = match[1];
  return owner === void 0 || owner === "self" || owner === "thread-self" || owner === String(process.pid);
}
var StdoutOutput = class {
  target;
  passThrough = true;
  stream;
  constructor(target, stdout) {
    this.target = target;
    this.stream = stdout;
  }
  async commit() {
    await new Promise((done, fail) => this.stream.write("", (error) => error ? fail(error) : done()));
  }
  abort() {
  }
};
function notFolderOf(path) {
  for (let dir = dirname2(path); dir !== dirname2(dir); dir = dirname2(dir)) {
    try {
      if (!statSync2(dir).isDirectory())
        return dir;
    } catch {
    }
  }
  return dirname2(path);
}

// dist/time.js
var CANONICAL = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
var RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
function canonicalTime(value) {
  if (CANONICAL.test(value)) {
    const day2 = (value.charCodeAt(8) - 48) * 10 + (value.charCodeAt(9) - 48);
    if (day2 <= 28)
      return value;
    const ms = Date.parse(value);
    if (!Number.isNaN(ms) && new Date(ms).toISOString() === value)
      return value;
  }
  const m = RFC3339.exec(value);
  if (!m)
    return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const fraction = m[7] ?? "";
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return null;
  if (hour > 23 || minute > 59 || second > 60)
    return null;
  let offsetMinutes = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59)
      return null;
    offsetMinutes = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const date = /* @__PURE__ */ new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, "0")));
  const text = new Date(date.getTime() - offsetMinutes * 6e4).toISOString();
  return text.length === 24 ? text : null;
}
function daysInMonth(year, month) {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}
var DAY_MS = 864e5;
var DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
var TYPED = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;
function timeFlag(value, flag, side = "start") {
  const text = optionalString(value, flag)?.trim();
  if (text === void 0)
    return null;
  let canonical = null;
  if (DATE_ONLY.test(text)) {
    canonical = canonicalTime(`${text}T00:00:00Z`);
    if (canonical !== null && side === "end")
      canonical = new Date(Date.parse(canonical) + DAY_MS).toISOString();
  } else {
    const m = TYPED.exec(text);
    if (m !== null) {
      const zone = m[4] === void 0 ? "Z" : /^[+-]\d{4}$/.test(m[4]) ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
      canonical = canonicalTime(`${m[1]}T${m[2]}${m[3] ?? ":00"}${zone}`);
    }
  }
  if (canonical === null || canonical < "0001") {
    throw new UsageError(`${flag} must be a date (2026-04-20) or a date-time (2026-04-20T09:30, 2026-04-20T09:00:00Z, 2026-04-20T11:00:00+02:00), not ${JSON.stringify(value)}`);
  }
  return canonical;
}

export {
  describeFsError,
  classifyOutput,
  openOutput,
  writeOutput,
  canonicalTime,
  timeFlag
};
//# sourceMappingURL=chunk-WMS6IBNG.js.map
