import {
  getTableColumns,
  sessions
} from "./chunk-UCKWP4CT.js";
import {
  canonicalTime,
  describeFsError,
  openOutput,
  timeFlag,
  writeOutput
} from "./chunk-WMS6IBNG.js";
import "./chunk-I6OMP3F5.js";
import {
  loggerFor
} from "./chunk-XVP3TTKF.js";
import "./chunk-BT734IXT.js";
import {
  commonConfig
} from "./chunk-36R3UL22.js";
import {
  oneOf,
  optionalString
} from "./chunk-C6BDQT25.js";
import {
  ReadOnlyDatabaseError,
  asDatabaseError,
  openDatabase,
  openForReading
} from "./chunk-2J63RUNB.js";
import {
  ExitCode,
  SyncError,
  UsageError
} from "./chunk-IEG2ED32.js";

// dist/commands/export.js
import { realpathSync } from "node:fs";
import { resolve as resolve3 } from "node:path";

// dist/export/bookmarks.js
function readExportBookmark(db, name) {
  const row = db.prepare("SELECT name, last_synced_at AS lastSyncedAt, exported_at AS exportedAt, rows FROM export_bookmarks WHERE name = ?").get(name);
  return row ?? null;
}
function nextBookmarkValue(result, previous) {
  let value = result.newestSyncedAt;
  if (value !== null && result.syncRunning) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms))
      value = new Date(ms - 1).toISOString();
  }
  if (previous !== null && (value === null || value < previous))
    return previous;
  return value;
}
function saveExportBookmark(db, bookmark) {
  db.prepare(`INSERT INTO export_bookmarks (name, last_synced_at, exported_at, rows) VALUES (@name, @lastSyncedAt, @exportedAt, @rows)
     ON CONFLICT (name) DO UPDATE SET last_synced_at = max(last_synced_at, excluded.last_synced_at),
       exported_at = excluded.exported_at, rows = excluded.rows`).run(bookmark);
}

// dist/export/columns.js
var column = (name, type, nullable = true) => Object.freeze({ name, type, nullable });
var JSON_COLUMNS = /* @__PURE__ */ new Set(["client_metadata", "persona_config"]);
var COLUMNS = Object.freeze(Object.values(getTableColumns(sessions)).map((c) => column(c.name, c.columnType === "SQLiteInteger" ? "int64" : JSON_COLUMNS.has(c.name) ? "json" : /_(time|at)$/.test(c.name) ? "timestamp" : "string", !c.notNull)));
var COLUMN_LIST = COLUMNS.map((c) => c.name).join(", ");
function schemaDocument() {
  return { table: "sessions", timestampFormat: "YYYY-MM-DDTHH:MM:SS.sssZ", columns: columnDocument(COLUMNS) };
}
function columnDocument(columns) {
  return columns.map((c) => c.type === "timestamp" ? { name: c.name, type: c.type, unit: "ms", timezone: "UTC", nullable: c.nullable } : { name: c.name, type: c.type, nullable: c.nullable });
}

// dist/export/dataset.js
import { join as join4, resolve } from "node:path";

// dist/export/dataset-folders.js
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmdirSync, rmSync, statSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { dirname, join } from "node:path";

// dist/export/dataset-plan.js
var DATASET_TABLES = ["sessions"];
var PARTITION_BYS = ["day", "month"];
var NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";
var LAYOUTS = {
  sessions: {
    source: "sessions",
    columns: COLUMNS,
    timeColumn: "start_time",
    changedColumn: "last_synced_at",
    deletedColumn: "deleted_at",
    folderColumn: { day: "start_date", month: "start_month" },
    versions: { table: "session_versions", timeKey: "startTime" }
  }
};
var VALUE_LENGTH = { day: 10, month: 7 };
var VALUE_SHAPE = { day: /^\d{4}-\d{2}-\d{2}$/, month: /^\d{4}-\d{2}$/ };
function folderName(column2, value) {
  return `${column2}=${value ?? NULL_PARTITION}`;
}
function allPartitions(db, layout, by, noteNewest) {
  const length = VALUE_LENGTH[by];
  const values = db.prepare(`SELECT DISTINCT substr(${layout.timeColumn}, 1, ${length}) FROM ${layout.source}`).pluck().all();
  noteNewest(db.prepare(`SELECT max(${layout.changedColumn}) FROM ${layout.source}`).pluck().get());
  return new Set(values.map((value) => checkedValue(db, layout, by, value)));
}
function touchedPartitions(db, layout, by, after, noteNewest) {
  const length = VALUE_LENGTH[by];
  const todo = /* @__PURE__ */ new Set();
  const changed = db.prepare(`SELECT substr(${layout.timeColumn}, 1, ${length}), max(${layout.changedColumn}) FROM ${layout.source} WHERE ${layout.changedColumn} > ? GROUP BY 1`).raw(true).all(after);
  for (const [value, newest] of changed) {
    todo.add(checkedValue(db, layout, by, value));
    noteNewest(newest);
  }
  if (layout.versions !== null && changed.length > 0) {
    const earlier = db.prepare(
      // IN, not a join: the planner would scan every version (50 ms for 20k) instead of looking up the changed ones.
      `SELECT DISTINCT json_extract(json, '$.${layout.versions.timeKey}') FROM ${layout.versions.table}
         WHERE id IN (SELECT id FROM ${layout.source} WHERE ${layout.changedColumn} > ?)`
    ).pluck().all(after);
    for (const time of earlier) {
      const canonical = typeof time === "string" ? canonicalTime(time) : null;
      if (time === null || canonical !== null)
        todo.add(canonical === null ? null : canonical.slice(0, length));
    }
  }
  return todo;
}
function checkedValue(db, layout, by, value) {
  if (value === null || VALUE_SHAPE[by].test(value))
    return value;
  const row = db.prepare(`SELECT id, ${layout.timeColumn} FROM ${layout.source} WHERE substr(${layout.timeColumn}, 1, ${VALUE_LENGTH[by]}) = ? LIMIT 1`).raw(true).get(value);
  throw new SyncError(`session ${row?.[0] ?? "?"}: ${layout.timeColumn} holds ${JSON.stringify(row?.[1] ?? value)}, not a date-time; the export stopped`);
}
function nextValue(value, by) {
  const [year, month, day] = value.split("-").map(Number);
  const next = by === "day" ? new Date(Date.UTC(year, month - 1, (day ?? 1) + 1)) : new Date(Date.UTC(year, month, 1));
  return next.toISOString().slice(0, VALUE_LENGTH[by]);
}
function byValue(a, b) {
  if (a === b)
    return 0;
  if (a === null)
    return 1;
  if (b === null)
    return -1;
  return a < b ? -1 : 1;
}

// dist/export/dataset-folders.js
var STAGING_FOLDER = "_staging";
var PARTITION_FILE = "part-0.parquet";
var MAX_RENAMES = 4;
async function swapPartitions(tableDir, folderColumn, staged, now) {
  const written = [];
  let removed = 0;
  await inParallel(staged, MAX_RENAMES, async (partition) => {
    const folder = join(tableDir, folderName(folderColumn, partition.value));
    if (partition.temp === null) {
      if (removePartition(folder))
        removed++;
      return;
    }
    mkdirSync(folder, { recursive: true });
    await rename(partition.temp, join(folder, PARTITION_FILE));
    await syncFolderAsync(folder);
    written.push({ value: partition.value, path: `${folderName(folderColumn, partition.value)}/${PARTITION_FILE}`, rows: partition.rows, bytes: partition.bytes, writtenAt: now });
  });
  return { written, removed };
}
function prepareFolder(dir, tableDir) {
  try {
    mkdirSync(tableDir, { recursive: true });
    if (!statSync(tableDir).isDirectory())
      throw Object.assign(new Error("not a folder"), { code: "ENOTDIR" });
  } catch (error) {
    throw new UsageError(`--dataset ${dir} cannot be used: ${describeFsError(error)}`, { cause: error });
  }
}
function stagingFolder(tableDir) {
  const root = join(tableDir, STAGING_FOLDER);
  let entries = [];
  try {
    entries = readdirSync(root);
  } catch {
  }
  for (const entry of entries) {
    const pid = Number(/^(\d+)\./.exec(entry)?.[1]);
    if (!Number.isInteger(pid) || !isAlive(pid))
      removeQuietly(join(root, entry));
  }
  return join(root, `${process.pid}.${randomBytes(4).toString("hex")}`);
}
function isAlive(pid) {
  if (pid === process.pid)
    return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
function removePartition(folder) {
  const file = join(folder, PARTITION_FILE);
  const existed = isFile(file);
  rmSync(file, { force: true });
  try {
    rmdirSync(folder);
  } catch {
  }
  return existed;
}
function sweepFolders(tableDir, folderColumn, keep) {
  let removed = 0;
  for (const entry of readdirSync(tableDir)) {
    if (entry.startsWith(`${folderColumn}=`) && !keep.has(entry) && removePartition(join(tableDir, entry)))
      removed++;
  }
  return removed;
}
function syncFolder(folder) {
  try {
    const fd = openSync(folder, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
  }
}
async function syncFolderAsync(folder) {
  try {
    const handle = await open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
  }
}
function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
function removeQuietly(path) {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
  }
}
function removeStaging(staging) {
  removeQuietly(staging);
  try {
    rmdirSync(dirname(staging));
  } catch {
  }
}
async function inParallel(items, limit, work) {
  let next = 0;
  const errors = [];
  const worker = async () => {
    while (next < items.length && errors.length === 0) {
      const item = items[next++];
      await work(item).catch((error) => errors.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0)
    throw errors[0];
}

// dist/export/dataset-manifest.js
import { readFileSync } from "node:fs";
import { join as join2 } from "node:path";
var MANIFEST_FILE = "_anam_sync.json";
function manifestMark(manifest) {
  const newest = manifest.snapshot.newestSyncedAt;
  return nextBookmarkValue({ newestSyncedAt: newest, syncRunning: manifest.snapshot.syncRunning === true }, null) ?? newest;
}
function readManifest(tableDir) {
  let text;
  try {
    text = readFileSync(join2(tableDir, MANIFEST_FILE), "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text);
    if (parsed.format !== "anam-sync-dataset" || parsed.version !== 1 || !Array.isArray(parsed.partitions) || parsed.snapshot === void 0)
      return null;
    return parsed;
  } catch {
    return null;
  }
}
async function writeManifest(tableDir, manifest) {
  await writeOutput(join2(tableDir, MANIFEST_FILE), "--dataset", `${JSON.stringify(manifest, null, 2)}
`);
}

// dist/export/dataset-stage.js
import { randomBytes as randomBytes2 } from "node:crypto";
import { close, closeSync as closeSync2, fsync, mkdirSync as mkdirSync2, openSync as openSync2, writeSync } from "node:fs";
import { join as join3 } from "node:path";
async function stagePartition(layout, options, value, staging, noteNewest, flushes, statements) {
  const time = layout.timeColumn;
  const terms = [value === null ? `${time} IS NULL` : `${time} >= @from AND ${time} < @to`];
  if (options.excludeDeleted && layout.deletedColumn !== null)
    terms.push(`${layout.deletedColumn} IS NULL`);
  const params = value === null ? {} : { from: value, to: nextValue(value, options.partitionBy) };
  const sql = `SELECT ${layout.columns.map((c) => c.name).join(", ")} FROM ${layout.source} WHERE ${terms.join(" AND ")} ORDER BY ${time}`;
  const rows = statements.get(sql).iterate(params);
  const changed = layout.columns.findIndex((c) => c.name === layout.changedColumn);
  const first = rows.next();
  if (first.done === true)
    return { value, rows: 0, bytes: 0, temp: null };
  mkdirSync2(staging, { recursive: true });
  const temp = join3(staging, `${value ?? NULL_PARTITION}.${randomBytes2(4).toString("hex")}.parquet.tmp`);
  const fd = openFile(temp);
  const sink = new FileSink(fd, temp);
  let count;
  try {
    const { writeParquet } = await import("./chunk-4TVTX2VS.js");
    count = await writeParquet(layout.columns, withFirst(first.value, rows, (row) => noteNewest(row[changed])), sink, {
      rowGroupRows: options.rowGroupRows,
      initialBytes: 1 << 16
    });
  } catch (error) {
    rows.return?.();
    closeSync2(fd);
    throw error;
  }
  await flushes.add(fd, temp);
  return { value, rows: count, bytes: sink.bytes, temp };
}
var Statements = class {
  #db;
  #prepared = /* @__PURE__ */ new Map();
  constructor(db) {
    this.#db = db;
  }
  get(sql) {
    let statement = this.#prepared.get(sql);
    if (statement === void 0) {
      statement = this.#db.prepare(sql).raw(true);
      this.#prepared.set(sql, statement);
    }
    return statement;
  }
};
var Flushes = class {
  #pending = /* @__PURE__ */ new Set();
  #error = null;
  /** Starts flushing `fd`; waits first when {@link MAX_FLUSHES} are under way. */
  async add(fd, path) {
    if (this.#pending.size >= MAX_FLUSHES)
      await Promise.race(this.#pending);
    const flush = new Promise((done) => {
      fsync(fd, (error) => {
        if (error && this.#error === null)
          this.#error = new SyncError(`writing ${path} failed: ${describeFsError(error)}`, 1, { cause: error });
        close(fd, () => done());
      });
    });
    this.#pending.add(flush);
    void flush.then(() => this.#pending.delete(flush));
  }
  /** Resolves once every file is flushed and closed; rejects with the first failure. */
  async settle() {
    await Promise.all(this.#pending);
    if (this.#error !== null)
      throw this.#error;
  }
};
var MAX_FLUSHES = 32;
var FileSink = class {
  bytes = 0;
  #fd;
  #path;
  constructor(fd, path) {
    this.#fd = fd;
    this.#path = path;
  }
  writeBytes(bytes) {
    try {
      for (let offset = 0; offset < bytes.byteLength; )
        offset += writeSync(this.#fd, bytes, offset);
    } catch (error) {
      return Promise.reject(new SyncError(`writing ${this.#path} failed: ${describeFsError(error)}`, 1, { cause: error }));
    }
    this.bytes += bytes.byteLength;
    return Promise.resolve();
  }
};
function* withFirst(first, rest, see) {
  see(first);
  yield first;
  for (let next = rest.next(); next.done !== true; next = rest.next()) {
    see(next.value);
    yield next.value;
  }
}
function openFile(path) {
  try {
    return openSync2(path, "wx", 384);
  } catch (error) {
    throw new SyncError(`writing ${path} failed: ${describeFsError(error)}`, 1, { cause: error });
  }
}

// dist/export/rows.js
function whereClause(filter = {}) {
  const terms = [];
  const params = {};
  if (filter.excludeDeleted === true)
    terms.push("deleted_at IS NULL");
  if (filter.updatedSince !== void 0) {
    terms.push("updated_at >= @updatedSince");
    params.updatedSince = filter.updatedSince;
  }
  if (filter.startedFrom !== void 0) {
    terms.push("start_time >= @startedFrom");
    params.startedFrom = filter.startedFrom;
  }
  if (filter.startedTo !== void 0) {
    terms.push("start_time < @startedTo");
    params.startedTo = filter.startedTo;
  }
  if (filter.changedAfter !== void 0) {
    terms.push("last_synced_at > @changedAfter");
    params.changedAfter = filter.changedAfter;
  }
  return { sql: terms.length === 0 ? "1" : terms.join(" AND "), params };
}
function syncWasRunning(db) {
  return db.prepare("SELECT EXISTS (SELECT 1 FROM sync_lock)").pluck().get() === 1;
}
function anyRow(db, filter = {}) {
  const where = whereClause(filter);
  return db.prepare(`SELECT EXISTS (SELECT 1 FROM sessions WHERE ${where.sql})`).pluck().get(where.params) === 1;
}
function iterateRows(db, filter = {}) {
  const where = whereClause(filter);
  const statement = db.prepare(`SELECT ${COLUMN_LIST} FROM sessions NOT INDEXED WHERE ${where.sql} ORDER BY rowid`).raw(true);
  return statement.iterate(where.params);
}
function iterateEncoded(db, filter, line) {
  const where = whereClause(filter);
  const statement = db.prepare(`SELECT last_synced_at, ${line} FROM sessions NOT INDEXED WHERE ${where.sql} ORDER BY rowid`).raw(true);
  return statement.iterate(where.params);
}

// dist/export/dataset.js
var activeStaging = null;
async function exportDataset(db, options) {
  const layout = LAYOUTS[options.table];
  const tableDir = join4(resolve(options.dir), options.table);
  prepareFolder(options.dir, tableDir);
  const manifest = readManifest(tableDir);
  const folderColumn = layout.folderColumn[options.partitionBy];
  if (manifest !== null && manifest.partitionBy !== options.partitionBy) {
    throw new UsageError(`--dataset ${options.dir}: ${options.table} there is partitioned by ${manifest.partitionBy}; give --partition-by ${manifest.partitionBy}, or a new folder`);
  }
  const columns = columnDocument(layout.columns);
  const changedAfter = options.changedAfter === null || manifest === null || manifest.excludeDeleted !== options.excludeDeleted || manifest.snapshot.newestSyncedAt === null || JSON.stringify(manifest.columns) !== JSON.stringify(columns) ? null : (
    // The manifest says up to where its files are exact. The bookmark may be ahead of it (another
    // folder exported under the same name) or behind it (killed before the bookmark moved): the
    // earlier of the two misses nothing.
    [options.changedAfter, manifestMark(manifest)].sort()[0]
  );
  const staging = stagingFolder(tableDir);
  activeStaging = staging;
  const staged = [];
  const flushes = new Flushes();
  const statements = new Statements(db);
  let kept = [];
  let newest = null;
  let syncRunning = false;
  const noteNewest = (value) => {
    if (typeof value === "string" && (newest === null || value > newest))
      newest = value;
  };
  const ownTransaction = !db.inTransaction;
  if (ownTransaction)
    db.exec("BEGIN");
  try {
    syncRunning = syncWasRunning(db);
    let todo;
    if (changedAfter !== null && manifest !== null) {
      todo = touchedPartitions(db, layout, options.partitionBy, changedAfter, noteNewest);
      for (const partition of manifest.partitions) {
        if (todo.has(partition.value))
          continue;
        if (isFile(join4(tableDir, partition.path)))
          kept.push(partition);
        else
          todo.add(partition.value);
      }
    } else {
      todo = allPartitions(db, layout, options.partitionBy, noteNewest);
      kept = [];
    }
    for (const value of [...todo].sort(byValue)) {
      staged.push(await stagePartition(layout, options, value, staging, noteNewest, flushes, statements));
    }
    await flushes.settle();
  } catch (error) {
    await flushes.settle().catch(() => {
    });
    removeStaging(staging);
    throw error;
  } finally {
    if (ownTransaction && db.inTransaction)
      db.exec("COMMIT");
  }
  if (changedAfter !== null && staged.length === 0) {
    removeStaging(staging);
    activeStaging = null;
    return { tableDir, full: false, partitions: kept.length, rows: sum(kept), rewritten: 0, removed: 0, rowsWritten: 0, newestSyncedAt: newest, syncRunning };
  }
  const now = (/* @__PURE__ */ new Date()).toISOString();
  try {
    const { written, removed: emptied } = await swapPartitions(tableDir, folderColumn, staged, now);
    const partitions = [...kept, ...written].sort((a, b) => byValue(a.value, b.value));
    const removed = emptied + sweepFolders(tableDir, folderColumn, new Set(partitions.map((p) => folderName(folderColumn, p.value))));
    syncFolder(tableDir);
    const document = {
      format: "anam-sync-dataset",
      version: 1,
      table: options.table,
      partitionBy: options.partitionBy,
      partitionColumn: folderColumn,
      excludeDeleted: options.excludeDeleted,
      columns,
      snapshot: { exportedAt: now, newestSyncedAt: newest ?? manifest?.snapshot.newestSyncedAt ?? null, syncRunning },
      rows: sum(partitions),
      partitions
    };
    await writeManifest(tableDir, document);
    return {
      tableDir,
      full: changedAfter === null,
      partitions: partitions.length,
      rows: document.rows,
      rewritten: written.length,
      removed,
      rowsWritten: sum(written),
      newestSyncedAt: newest,
      syncRunning
    };
  } catch (error) {
    throw error instanceof SyncError ? error : new SyncError(`writing the dataset ${tableDir} failed: ${describeFsError(error)}`, 1, { cause: error });
  } finally {
    removeStaging(staging);
    activeStaging = null;
  }
}
function abortDataset() {
  if (activeStaging !== null)
    removeStaging(activeStaging);
  activeStaging = null;
}
function sum(partitions) {
  return partitions.reduce((total, p) => total + p.rows, 0);
}

// dist/export/csv.js
var CSV_EOL = "\r\n";
var FORMULA_STARTS = ["=", "+", "-", "@", "	", "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"];
function csvHeader(columns) {
  return `${columns.map((c) => quoteIfNeeded(c.name)).join(",")}${CSV_EOL}`;
}
function csvLineSql(columns, options = {}) {
  const fields = columns.map((c) => c.type === "int64" ? integerField(c.name) : textField(c.name, options.excelSafe === true));
  return `concat_ws(',', ${fields.join(", ")}) || ${sqlString(CSV_EOL)}`;
}
function textField(name, excelSafe) {
  return `coalesce('"' || replace(${excelSafe ? neutralised(name) : name}, '"', '""') || '"', '')`;
}
function neutralised(name) {
  const starts = FORMULA_STARTS.map(sqlString).join(", ");
  return `iif(substr(${name}, 1, 1) IN (${starts}), '''' || ${name}, ${name})`;
}
function integerField(name) {
  return `iif(typeof(${name}) = 'text', '"' || replace(${name}, '"', '""') || '"', coalesce(${name}, ''))`;
}
function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}
function quoteIfNeeded(text) {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// dist/export/ndjson.js
function ndjsonLineSql(columns) {
  const pairs = columns.map((c) => `'${c.name}', ${c.name}`);
  return `json_object(${pairs.join(", ")}) || char(10)`;
}

// dist/export/output.js
var BUFFER_BYTES = 1 << 20;
var BUFFERS = 3;
var ChunkWriter = class {
  #stream;
  #free = [];
  #waiting = [];
  #current = null;
  #used = 0;
  #error = null;
  #bytes = 0;
  #onError = (error) => {
    this.#error ??= error;
    for (const wake of this.#waiting.splice(0))
      wake();
  };
  constructor(stream) {
    this.#stream = stream;
    stream.on("error", this.#onError);
    for (let i = 0; i < BUFFERS; i++)
      this.#free.push(Buffer.allocUnsafe(BUFFER_BYTES));
  }
  /** Bytes written so far (buffered ones included). */
  get bytes() {
    return this.#bytes;
  }
  /**
   * Adds text (UTF-8). Returns a promise only when the caller must wait (a buffer went to the stream
   * and the stream asked for a pause): the common case stays synchronous, which matters at one call
   * per row. Throws the stream's error.
   */
  writeText(text) {
    this.#throwIfFailed();
    const room = text.length * 3;
    if (this.#current !== null && this.#used + room <= BUFFER_BYTES) {
      this.#append(this.#current, text);
      return void 0;
    }
    return this.#writeTextSlow(text);
  }
  async #writeTextSlow(text) {
    await this.#flushCurrent();
    if (text.length * 3 > BUFFER_BYTES) {
      const bytes = Buffer.from(text, "utf8");
      this.#bytes += bytes.byteLength;
      await this.#send(bytes, null);
      return;
    }
    this.#append(await this.#take(), text);
  }
  #append(buffer, text) {
    const written = buffer.write(text, this.#used);
    this.#used += written;
    this.#bytes += written;
  }
  /** Adds bytes the caller will not touch again (a Parquet row group). */
  async writeBytes(bytes) {
    this.#throwIfFailed();
    await this.#flushCurrent();
    this.#bytes += bytes.byteLength;
    await this.#send(bytes, null);
  }
  /** Writes out what is buffered and resolves once the stream has taken every byte. */
  async flush() {
    await this.#flushCurrent();
    await new Promise((resolve4, reject) => {
      this.#stream.write(Buffer.alloc(0), (error) => error ? reject(error) : resolve4());
    });
    this.#throwIfFailed();
  }
  /** Stops listening to the stream (leaves it open: ending it is the owner's call). */
  close() {
    this.#stream.off("error", this.#onError);
    this.#stream.on("error", () => {
    });
  }
  async #flushCurrent() {
    const buffer = this.#current;
    if (buffer === null || this.#used === 0)
      return;
    const used = this.#used;
    this.#current = null;
    this.#used = 0;
    await this.#send(buffer.subarray(0, used), buffer);
  }
  /** Hands `chunk` to the stream; `pooled` goes back to the pool once the stream has written it. */
  async #send(chunk, pooled) {
    const ready = this.#stream.write(chunk, (error) => {
      if (error)
        this.#error ??= error;
      if (pooled !== null)
        this.#free.push(pooled);
      this.#waiting.shift()?.();
    });
    this.#throwIfFailed();
    if (!ready)
      await this.#drained();
  }
  async #take() {
    while (this.#free.length === 0) {
      await new Promise((resolve4) => this.#waiting.push(resolve4));
      this.#throwIfFailed();
    }
    this.#current = this.#free.pop();
    this.#used = 0;
    return this.#current;
  }
  #throwIfFailed() {
    const error = this.#error ?? this.#stream.errored ?? null;
    if (error)
      throw error;
  }
  #drained() {
    return new Promise((resolve4, reject) => {
      const done = (error) => {
        this.#stream.off("drain", onDrain);
        this.#stream.off("error", onFail);
        this.#stream.off("close", onClose);
        if (error)
          reject(error);
        else
          resolve4();
      };
      const onDrain = () => done();
      const onFail = (error) => done(error);
      const onClose = () => done(this.#error ?? Object.assign(new Error("the output closed before the export finished"), { code: "EPIPE" }));
      this.#stream.on("drain", onDrain);
      this.#stream.on("error", onFail);
      this.#stream.on("close", onClose);
    });
  }
};

// dist/export/export-sessions.js
var EXPORT_FORMATS = ["csv", "ndjson", "parquet"];
var EXPORT_CACHE_KIB = 2e3;
async function exportSessions(db, options, output) {
  const out = new ChunkWriter(output);
  const filter = options.filter ?? {};
  let newestSyncedAt = null;
  const noteSynced = (value) => {
    if (typeof value === "string" && (newestSyncedAt === null || value > newestSyncedAt))
      newestSyncedAt = value;
  };
  const ownTransaction = !db.inTransaction;
  const cacheSize = db.pragma("cache_size", { simple: true });
  db.pragma(`cache_size = -${EXPORT_CACHE_KIB}`);
  if (ownTransaction)
    db.exec("BEGIN");
  try {
    const syncRunning = syncWasRunning(db);
    if (options.skipEmpty === true && !anyRow(db, filter)) {
      return { format: options.format, rows: 0, bytes: 0, newestSyncedAt: null, syncRunning, skipped: true };
    }
    let rows;
    if (options.format === "parquet") {
      const { writeParquet } = await import("./chunk-4TVTX2VS.js");
      const synced = COLUMNS.findIndex((c) => c.name === "last_synced_at");
      rows = await writeParquet(COLUMNS, tap(iterateRows(db, filter), (row) => noteSynced(row[synced])), out, {
        rowGroupRows: options.rowGroupRows
      });
    } else {
      const header = options.format === "csv" ? csvHeader(COLUMNS) : "";
      const line = options.format === "csv" ? csvLineSql(COLUMNS, { excelSafe: options.excelSafe }) : ndjsonLineSql(COLUMNS);
      if (header !== "")
        await out.writeText(header);
      rows = 0;
      for (const [syncedAt, text] of iterateEncoded(db, filter, line)) {
        const wait = out.writeText(text);
        if (wait)
          await wait;
        noteSynced(syncedAt);
        rows++;
      }
    }
    await out.flush();
    return { format: options.format, rows, bytes: out.bytes, newestSyncedAt, syncRunning, skipped: false };
  } finally {
    if (ownTransaction && db.inTransaction)
      db.exec("COMMIT");
    db.pragma(`cache_size = ${cacheSize}`);
    out.close();
  }
}
function* tap(rows, see) {
  for (const row of rows) {
    see(row);
    yield row;
  }
}

// dist/export/options.js
import { resolve as resolve2 } from "node:path";
var LATER_TABLES = ["transcripts", "transcript_messages"];
function exportConfig(argv, env) {
  const common = commonConfig(argv, env);
  const dataset = datasetFlag(argv);
  const formatText = optionalString(argv.format, "--format") ?? (dataset === null ? "csv" : "parquet");
  if (!EXPORT_FORMATS.includes(formatText)) {
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(", ")}, not ${JSON.stringify(formatText)}`);
  }
  const format = formatText;
  const outText = optionalString(argv.out, "--out");
  if (outText !== void 0 && outText.trim() === "")
    throw new UsageError("--out must not be empty (use - for stdout)");
  const out = outText === void 0 || outText === "-" ? null : outText;
  const schema = optionalString(argv.schema, "--schema") ?? null;
  if (schema !== null && (schema.trim() === "" || schema === "-"))
    throw new UsageError("--schema must name a file");
  const excelSafe = argv["excel-safe"] === true;
  if (excelSafe && format !== "csv")
    throw new UsageError(`--excel-safe applies to CSV only, not --format ${format}`);
  const filter = {};
  if (argv["exclude-deleted"] === true)
    filter.excludeDeleted = true;
  const updatedSince = timeFlag(argv["updated-since"], "--updated-since");
  const startedFrom = timeFlag(argv["started-from"], "--started-from");
  const startedTo = timeFlag(argv["started-to"], "--started-to", "end");
  if (updatedSince !== null)
    filter.updatedSince = updatedSince;
  if (startedFrom !== null)
    filter.startedFrom = startedFrom;
  if (startedTo !== null)
    filter.startedTo = startedTo;
  if (startedFrom !== null && startedTo !== null && startedTo <= startedFrom) {
    throw new UsageError(`--started-to (${startedTo}) must be later than --started-from (${startedFrom})`);
  }
  const sinceLast = optionalString(argv["since-last"], "--since-last") ?? null;
  if (sinceLast !== null && (sinceLast.trim() === "" || sinceLast.length > 200 || /[\u0000-\u001f\u007f]/.test(sinceLast))) {
    throw new UsageError("--since-last must be a name of 1 to 200 printable characters");
  }
  const tableText = optionalString(argv.table, "--table") ?? "sessions";
  if (!DATASET_TABLES.includes(tableText)) {
    const later = LATER_TABLES.includes(tableText) ? ` (${tableText} cannot be exported yet)` : "";
    throw new UsageError(`--table must be one of ${DATASET_TABLES.join(", ")}, not ${JSON.stringify(tableText)}${later}`);
  }
  const table = tableText;
  const partitionText = optionalString(argv["partition-by"], "--partition-by");
  if (partitionText !== void 0 && dataset === null)
    throw new UsageError("--partition-by applies to --dataset only");
  const partitionBy = oneOf(partitionText, "day", "--partition-by", PARTITION_BYS);
  const skipEmpty = argv["skip-empty"] === true;
  if (dataset !== null)
    checkDatasetFlags(argv, format);
  checkPaths(common.db, out, schema);
  if (dataset !== null)
    checkDatasetPath(common.db, dataset, table);
  return Object.freeze({ ...common, format, out, filter: Object.freeze(filter), sinceLast, excelSafe, schema, table, dataset, partitionBy, skipEmpty });
}
function datasetFlag(argv) {
  const text = optionalString(argv.dataset, "--dataset");
  if (text === void 0)
    return null;
  if (text.trim() === "" || text === "-")
    throw new UsageError("--dataset must name a folder");
  return text;
}
function checkDatasetFlags(argv, format) {
  if (format !== "parquet")
    throw new UsageError(`--dataset writes Parquet; leave out --format ${format}`);
  for (const flag of ["out", "schema", "updated-since", "started-from", "started-to"]) {
    if (argv[flag] !== void 0) {
      throw new UsageError(`--${flag} does not apply to --dataset (a dataset holds the whole table; its manifest lists the columns)`);
    }
  }
}
function checkDatasetPath(db, dataset, table) {
  const database = resolve2(db);
  const owned = resolve2(dataset, table);
  if (resolve2(dataset) === database || database === owned || database.startsWith(`${owned}/`)) {
    throw new UsageError(`--dataset ${dataset} would hold the database itself; choose another folder`);
  }
}
function checkPaths(db, out, schema) {
  const database = resolve2(db);
  const guarded = [database, `${database}-wal`, `${database}-shm`, `${database}-journal`];
  if (out !== null && guarded.includes(resolve2(out)))
    throw new UsageError(`--out ${out} is the database itself; choose another file`);
  if (schema !== null && guarded.includes(resolve2(schema)))
    throw new UsageError(`--schema ${schema} is the database itself; choose another file`);
  if (out !== null && schema !== null && resolve2(out) === resolve2(schema)) {
    throw new UsageError("--schema and --out name the same file; choose two files");
  }
}

// dist/commands/export.js
async function exportCommand({ argv, env, stdout, stderr }) {
  const config = exportConfig(argv, env);
  const log = loggerFor(config, stderr);
  if (config.out === null && config.format === "parquet" && stdout.isTTY) {
    throw new SyncError("--format parquet is binary: give --out FILE or redirect stdout", ExitCode.usage);
  }
  if (config.dataset !== null)
    return datasetCommand(config, log);
  const db = openForExport(config);
  const files = [];
  const onSignal = (signal) => {
    for (const file of files)
      file.abort();
    const kept = files.filter((f) => !f.passThrough).map((f) => f.target);
    log.warn(`${signal}: export stopped${kept.length > 0 ? `; ${kept.join(" and ")} left as before` : ""}`);
    process.exit(signal === "SIGINT" ? ExitCode.sigint : ExitCode.sigterm);
  };
  const catchSignals = config.out !== null || config.schema !== null;
  if (catchSignals) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  try {
    const file = config.out === null ? null : await openOutput(config.out, "--out", { stdout });
    if (file)
      files.push(file);
    const schemaFile = config.schema === null ? null : await openOutput(config.schema, "--schema", { stdout });
    if (schemaFile)
      files.push(schemaFile);
    for (const [output, flag] of [[file, "--out"], [schemaFile, "--schema"]]) {
      if (output && isDatabaseFile(output.target, config.db)) {
        throw new SyncError(`${flag} ${flag === "--out" ? config.out : config.schema} leads to the database itself; choose another file`, ExitCode.usage);
      }
    }
    const previous = config.sinceLast === null ? null : readExportBookmark(db, config.sinceLast);
    const filter = previous === null ? config.filter : { ...config.filter, changedAfter: previous.lastSyncedAt };
    const result = await exportSessions(db, { format: config.format, filter, excelSafe: config.excelSafe, skipEmpty: config.skipEmpty }, file?.stream ?? stdout);
    if (result.skipped) {
      for (const output of files)
        output.abort();
      log.info(previous === null && config.sinceLast === null ? `no session matches; nothing written to ${config.out ?? "stdout"} (--skip-empty)` : `nothing new since the last export under ${JSON.stringify(config.sinceLast)}; nothing written to ${config.out ?? "stdout"} (--skip-empty)`);
      return ExitCode.ok;
    }
    await file?.commit();
    if (schemaFile) {
      schemaFile.stream.write(`${JSON.stringify(schemaDocument(), null, 2)}
`);
      await schemaFile.commit();
    }
    if (config.sinceLast !== null) {
      const value = nextBookmarkValue(result, previous?.lastSyncedAt ?? null);
      if (value !== null) {
        saveExportBookmark(db, { name: config.sinceLast, lastSyncedAt: value, exportedAt: (/* @__PURE__ */ new Date()).toISOString(), rows: result.rows });
      }
    }
    log.info(`exported ${result.rows} sessions as ${config.format} to ${config.out ?? "stdout"}`, {
      since: previous?.lastSyncedAt
    });
    return ExitCode.ok;
  } catch (error) {
    for (const file of files)
      file.abort();
    if ((config.out === null || files[0]?.passThrough === true) && isClosedReader(error)) {
      log.debug(`${config.out ?? "stdout"} closed by the reader; export stopped`);
      return ExitCode.ok;
    }
    if (error instanceof SyncError)
      throw error;
    if (isStreamError(error)) {
      throw new SyncError(`writing ${config.out ?? "stdout"} failed: ${describeFsError(error)}`, ExitCode.failed, { cause: error });
    }
    throw asDatabaseError(error, config.db);
  } finally {
    if (catchSignals) {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    db.close();
  }
}
async function datasetCommand(config, log) {
  const dataset = config.dataset;
  const db = openForExport(config);
  const onSignal = (signal) => {
    abortDataset();
    log.warn(`${signal}: dataset export stopped; every partition of ${dataset} is whole, and the next export finishes the work`);
    process.exit(signal === "SIGINT" ? ExitCode.sigint : ExitCode.sigterm);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const bookmarkName = config.sinceLast === null ? null : `dataset:${config.sinceLast}`;
    const previous = bookmarkName === null ? null : readExportBookmark(db, bookmarkName);
    const result = await exportDataset(db, {
      dir: dataset,
      table: config.table,
      partitionBy: config.partitionBy,
      excludeDeleted: config.filter.excludeDeleted === true,
      changedAfter: previous?.lastSyncedAt ?? null
    });
    if (bookmarkName !== null) {
      const value = nextBookmarkValue(result, previous?.lastSyncedAt ?? null);
      if (value !== null) {
        saveExportBookmark(db, { name: bookmarkName, lastSyncedAt: value, exportedAt: (/* @__PURE__ */ new Date()).toISOString(), rows: result.rowsWritten });
      }
    }
    if (!result.full && result.rewritten === 0 && result.removed === 0) {
      log.info(`nothing new since the last export under ${JSON.stringify(config.sinceLast)}; ${result.tableDir} left as it was`);
    } else {
      log.info(`dataset ${result.tableDir}: ${result.full ? "wrote every partition" : "rewrote the changed partitions"}: ${result.rewritten} written, ${result.removed} removed; ${result.partitions} partitions, ${result.rows} sessions`);
    }
    return ExitCode.ok;
  } catch (error) {
    abortDataset();
    if (error instanceof SyncError)
      throw error;
    throw asDatabaseError(error, config.db);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    db.close();
  }
}
function openForExport(config) {
  if (config.sinceLast === null)
    return openForReading(config.db);
  try {
    return openDatabase(config.db);
  } catch (error) {
    if (!(error instanceof ReadOnlyDatabaseError))
      throw error;
    throw new SyncError(`export --since-last keeps its bookmark in the database, and ${config.db} cannot be written: run it with write access, or export without --since-last`, ExitCode.usage, { cause: error });
  }
}
function isDatabaseFile(target, db) {
  let real;
  try {
    real = realpathSync(db);
  } catch {
    real = resolve3(db);
  }
  return [real, `${real}-wal`, `${real}-shm`, `${real}-journal`].includes(target);
}
function isClosedReader(error) {
  const code = error?.code;
  return code === "EPIPE" || code === "ERR_STREAM_DESTROYED" || code === "ECONNRESET";
}
function isStreamError(error) {
  const code = error?.code;
  return typeof code === "string" && (code.startsWith("E") || code.startsWith("ERR_STREAM")) && !code.startsWith("SQLITE");
}
export {
  exportCommand
};
//# sourceMappingURL=chunk-NPBJGDXG.js.map
