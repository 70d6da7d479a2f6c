import {
  SyncError,
  UsageError
} from "./chunk-IEG2ED32.js";

// dist/store/db.js
import { closeSync, existsSync, openSync, readSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
var load = createRequire(import.meta.url);
var Sqlite = load("better-sqlite3");
var NeedsMigrationError = class extends UsageError {
};
var ReadOnlyDatabaseError = class extends UsageError {
};
var MIGRATIONS = fileURLToPath(new URL("../../migrations", import.meta.url));
var SQLITE_HEADER = "SQLite format 3\0";
var PAGE_SIZE = 8192;
var APPLICATION_ID = 1095652185;
var OWN_TABLES = ["__drizzle_migrations", "sessions", "sync_runs"];
function schemaVersion() {
  const journal = JSON.parse(readFileSync(resolve(MIGRATIONS, "meta/_journal.json"), "utf8"));
  return journal.entries.length;
}
function openDatabase(path, options = {}) {
  const readonly = options.readonly === true;
  const file = resolve(path);
  const isNew = checkPath(file, readonly);
  let found = 0;
  if (!isNew) {
    const probe = openProbe(file, path);
    try {
      found = checkOwnership(probe, path);
    } catch (error) {
      throw asDatabaseError(error, path);
    } finally {
      probe.close();
    }
  }
  if (readonly) {
    if (isNew)
      throw new NeedsMigrationError(`database ${path} is empty: run anam-sync sync first`);
    checkVersion(found, path, true);
    return openReadOnly(file, path);
  }
  let db;
  try {
    db = new Sqlite(file, { fileMustExist: true });
  } catch (error) {
    throw asDatabaseError(error, path);
  }
  try {
    db.pragma("busy_timeout = 10000");
    found = checkOwnership(db, path);
    checkVersion(found, path, false);
    db.pragma(`page_size = ${PAGE_SIZE}`);
    retryWhileBusy(() => db.pragma("journal_mode = WAL"));
    db.pragma("synchronous = NORMAL");
    db.pragma("cache_size = -8192");
    db.pragma("wal_autocheckpoint = 16384");
    const known = schemaVersion();
    if (found < known)
      applyMigrations(db, known);
    if (db.pragma("application_id", { simple: true }) !== APPLICATION_ID)
      db.pragma(`application_id = ${APPLICATION_ID}`);
    return db;
  } catch (error) {
    db.close();
    throw asDatabaseError(error, path);
  }
}
function openForReading(path) {
  return openDatabase(path, { readonly: true });
}
function openProbe(file, path) {
  if (isWalHeader(file) && !existsSync(`${file}-wal`)) {
    try {
      return openImmutable(file);
    } catch {
    }
  }
  try {
    return openReadOnly(file, path);
  } catch (error) {
    try {
      return openImmutable(file);
    } catch {
      throw error;
    }
  }
}
function isWalHeader(file) {
  const header = Buffer.alloc(20);
  const fd = openSync(file, "r");
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  return header[18] === 2 && header[19] === 2;
}
function openImmutable(file) {
  const db = new Sqlite(`${pathToFileURL(file).href}?immutable=1`, { readonly: true, fileMustExist: true });
  try {
    db.prepare("SELECT count(*) FROM sqlite_master").pluck().get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
function openReadOnly(file, path) {
  let db;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 10000");
    db.prepare("SELECT count(*) FROM sqlite_master").pluck().get();
    return db;
  } catch (error) {
    db?.close();
    const code = error.code ?? "";
    if (code !== "SQLITE_CANTOPEN" && !code.startsWith("SQLITE_READONLY"))
      throw asDatabaseError(error, path);
    if ((statOrNull(`${file}-wal`)?.size ?? 0) > 0) {
      throw new UsageError(`database ${path} cannot be read here: its -wal file holds changes and SQLite cannot create the -shm file it needs beside it (read-only folder or media); open it once with write access (anam-sync migrate) to fold the -wal in, or copy the database with its -wal to a writable folder`, { cause: error });
    }
    try {
      return openImmutable(file);
    } catch {
      throw new UsageError(`database ${path} cannot be read: SQLite cannot create its -shm file beside it (read-only folder or media); copy it to a writable folder`, {
        cause: error
      });
    }
  }
}
function checkOwnership(db, path) {
  const appId = db.pragma("application_id", { simple: true });
  const names = db.prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").pluck().all();
  const foreign = () => new UsageError(`${path} is an SQLite database of another application, not anam-sync's; it was left untouched (choose another --db)`);
  if (appId !== 0 && appId !== APPLICATION_ID)
    throw foreign();
  const version = db.pragma("user_version", { simple: true });
  if (names.length === 0)
    return version;
  if (appId !== APPLICATION_ID && !OWN_TABLES.every((name) => names.includes(name)))
    throw foreign();
  if (!names.includes("__drizzle_migrations"))
    return version;
  const recorded = db.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get();
  return Math.max(version, recorded);
}
function checkVersion(found, path, readonly) {
  const known = schemaVersion();
  if (found > known) {
    throw new UsageError(`database ${path} was written by a newer version of anam-sync (schema ${found}, this version knows ${known}); upgrade anam-sync`);
  }
  if (readonly && found === 0)
    throw new NeedsMigrationError(`database ${path} is empty: run anam-sync sync first`);
  if (readonly && found < known) {
    throw new NeedsMigrationError(`database ${path} is at schema version ${found} and this anam-sync reads version ${known}: run anam-sync migrate --db ${path} (with write access) to update it`);
  }
}
function checkPath(file, readonly) {
  const folder = dirname(file);
  if (!existsSync(folder))
    throw new UsageError(`database folder ${folder} does not exist; create it or choose another --db`);
  if (!existsSync(file)) {
    if (readonly)
      throw new UsageError(`database ${file} does not exist; run anam-sync sync first`);
    try {
      closeSync(openSync(file, "wx", 384));
      return true;
    } catch (error) {
      if (error.code !== "EEXIST") {
        throw new UsageError(`cannot create database ${file}: ${error.code ?? error.message}`, { cause: error });
      }
    }
  }
  const stat = statSync(file);
  if (stat.isDirectory())
    throw new UsageError(`database path ${file} is a folder, not a file`);
  if (stat.size === 0)
    return true;
  const header = Buffer.alloc(16);
  let fd;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    throw new UsageError(`cannot read database ${file}: ${error.code ?? error.message}; check its permissions`, { cause: error });
  }
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString("latin1") !== SQLITE_HEADER) {
    throw new UsageError(`${file} is not an SQLite database; it was left untouched (choose another --db)`);
  }
  return false;
}
function statOrNull(path) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
function applyMigrations(db, known) {
  const { drizzle } = load("drizzle-orm/better-sqlite3");
  const { migrate } = load("drizzle-orm/better-sqlite3/migrator");
  retryWhileBusy(() => migrate(drizzle(db), { migrationsFolder: MIGRATIONS }), /already exists/);
  db.pragma(`user_version = ${known}`);
}
function retryWhileBusy(step, alsoRetry) {
  for (let attempt = 1; ; attempt++) {
    try {
      step();
      return;
    } catch (error) {
      const causes = [error, error.cause];
      const retry = causes.some((e) => /^SQLITE_BUSY/.test(e?.code ?? "") || (alsoRetry?.test(e?.message ?? "") ?? false));
      if (attempt === 8 || !retry)
        throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25 * 2 ** attempt);
    }
  }
}
function damaged(error, path) {
  return new SyncError(`database ${path} is damaged (${error.message}); restore it from a backup, or sync into a new file`, 1, { cause: error });
}
function asDatabaseError(error, path) {
  if (error instanceof SyncError)
    return error;
  const code = error.code ?? "";
  const cause = error.cause;
  if (code === "" && typeof cause?.code === "string" && cause.code.startsWith("SQLITE_"))
    return asDatabaseError(cause, path);
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT"))
    return damaged(error, path);
  if (code === "SQLITE_READONLY" || code.startsWith("SQLITE_READONLY") || code === "SQLITE_CANTOPEN") {
    return new ReadOnlyDatabaseError(`database ${path} cannot be written (read-only file, folder or media); check its permissions`, { cause: error });
  }
  if (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY") || code === "SQLITE_LOCKED") {
    return new SyncError(`database ${path} stayed busy: another process held a write on it for over 10 s; run again`, 1, { cause: error });
  }
  if (code === "SQLITE_FULL")
    return new SyncError(`the disk holding ${path} is full; free space and run again`, 1, { cause: error });
  if (code.startsWith("SQLITE_"))
    return new SyncError(`database error on ${path}: ${error.message}`, 1, { cause: error });
  return error;
}

export {
  ReadOnlyDatabaseError,
  schemaVersion,
  openDatabase,
  openForReading,
  asDatabaseError
};
//# sourceMappingURL=chunk-2J63RUNB.js.map
