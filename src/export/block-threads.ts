/**
 * Reading a large table for a CSV or NDJSON export on several threads at once. Building each line
 * in SQLite is most of such an export's time (at 200k sessions, about 2.3 s of 3.5 s on one
 * thread), and one connection runs one query at a time: so each thread has its own read-only
 * connection and encodes ranges of rowids (rows.ts's rangeQuery) into buffers, while this thread
 * hands the ranges out in order and writes the buffers in that order. On two cores the export then
 * takes about 0.75 of the time. Memory: at most {@link RANGES_PER_THREAD} ranges of about 1 MiB per
 * thread wait to be written, in buffers that go back to their thread once written (block-worker.ts),
 * whatever the table's size.
 *
 * **One snapshot.** An export reads one committed state, also while a sync commits pages. Each
 * connection's read transaction has the snapshot of its first read, so the threads' snapshots are
 * the same one when no commit came between the first of those reads and the last. A separate
 * connection tells: `PRAGMA data_version`, read outside a transaction before the main connection's
 * first read and after every thread's, changes with every commit of another connection. When it
 * changed, all of them end their transactions and begin again; after {@link ATTEMPTS} tries the
 * export is read by the main connection alone, from its own snapshot, as a small one is.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { openReader, type Db } from '../store/db.js';
import { rangeQuery, type RowFilter, rowidRange } from './rows.js';
import type { ExportTableName } from './tables.js';

/** Lines of consecutive rows, as UTF-8: the first `length` bytes of `buffer`. */
export interface BlockPart {
  buffer: ArrayBuffer;
  length: number;
  rows: number;
  /** The newest bookmark value among the rows (null when none has one). */
  newestMark: string | null;
}

/** A block as the export writes it; `release` once the bytes are written hands the buffer back. */
export interface Block extends Pick<BlockPart, 'rows' | 'newestMark'> {
  bytes: Uint8Array;
  release(): void;
}

/** A read that starts a read transaction's snapshot (any read does; the schema's first page is the cheapest). */
export const SNAPSHOT_READ = 'SELECT 1 FROM sqlite_schema LIMIT 1';

/** The size of the buffers a thread writes lines into (a larger row gets a buffer of its own). */
export const BUFFER_BYTES = 2 << 20;

/** What a thread is started with. */
export interface BlockReaderData {
  name: string;
  sql: string;
  params: Record<string, string>;
  cacheKib: number;
}
/** A request to a thread. */
export type BlockRequest =
  | { id: number; op: 'begin' | 'end' }
  | { id: number; op: 'range'; from: number; to: number }
  | { op: 'free'; buffer: ArrayBuffer };
/** Its answer: the range's blocks (none for 'begin', 'end' or an empty range), or an error. */
export type BlockAnswer = { id: number; parts: BlockPart[] } | { id: number; error: { message: string; code?: string } };

/**
 * Below this many rowids a table is read on the main connection: starting the threads (about 0.15 s
 * here) costs what they save (at 50k rows, 0.98 of the time on one thread; at 200k, 0.75).
 */
const MIN_PARALLEL_ROWS = 50_000;
/** Threads at most (and never more than the machine's processors). */
const MAX_THREADS = 4;
/** Ranges handed to each thread ahead of the one being written. */
const RANGES_PER_THREAD = 2;
/** How many tries at one snapshot before the main connection reads alone. */
const ATTEMPTS = 5;
/** About how many bytes a range's lines take: its width follows the size of the rows before it. */
const RANGE_BYTES = 1 << 20;
const FIRST_RANGE = 512;
const MAX_RANGE = 8192;

/**
 * Started threads when `table` is worth reading on several (it reads in ranges, it holds at least
 * {@link MIN_PARALLEL_ROWS} rowids, the machine has two processors or more), else null. Call before
 * the export's read transaction: the threads start while the main thread goes on.
 */
export async function startBlockReaders(
  db: Db,
  table: ExportTableName,
  filter: RowFilter,
  line: string,
  cacheKib: number,
): Promise<BlockReaders | null> {
  const threads = Math.min(MAX_THREADS, availableParallelism());
  if (threads < 2 || db.memory) return null;
  const range = rowidRange(db, table);
  if (range === null || range.hi - range.lo + 1 < MIN_PARALLEL_ROWS) return null;
  const { sql, params } = rangeQuery(table, filter, line);
  let readers: BlockReaders | null = null;
  try {
    readers = new BlockReaders(db.name, threads, { name: db.name, sql, params, cacheKib }, table);
    await readers.ready();
    return readers;
  } catch {
    // A thread that cannot start (its connection failed): the main connection reads alone.
    await readers?.close();
    return null;
  }
}

/** The threads, their connections, and the connection that checks their snapshots. */
export class BlockReaders {
  readonly #workers: Worker[];
  readonly #checker: Db;
  readonly #table: ExportTableName;
  readonly #pending = new Map<number, { resolve: (parts: BlockPart[]) => void; reject: (error: Error) => void }>();
  #next = 1;
  #failure: Error | null = null;

  constructor(name: string, threads: number, data: BlockReaderData, table: ExportTableName) {
    this.#table = table;
    this.#checker = openReader(name);
    this.#workers = [];
    try {
      for (let i = 0; i < threads; i++) this.#workers.push(this.#start(data));
    } catch (error) {
      for (const worker of this.#workers) void worker.terminate();
      this.#checker.close();
      throw error;
    }
  }

  /** How many threads read. */
  get threads(): number {
    return this.#workers.length;
  }

  /** Resolves once every thread has opened its connection (its first answer comes after that). */
  async ready(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => this.#call(worker, { op: 'end' })));
  }

  /**
   * Begins `db`'s read transaction and the threads', all on one snapshot; false when no try found
   * one ({@link ATTEMPTS}): `db`'s transaction is open then, and the threads are not to be used.
   */
  async begin(db: Db): Promise<boolean> {
    const touch = db.prepare(SNAPSHOT_READ);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const version = this.#version();
      db.exec('BEGIN');
      touch.get();
      await Promise.all(this.#workers.map((worker) => this.#call(worker, { op: 'begin' })));
      if (this.#version() === version) return true;
      db.exec('COMMIT');
      await Promise.all(this.#workers.map((worker) => this.#call(worker, { op: 'end' })));
    }
    db.exec('BEGIN');
    return false;
  }

  /**
   * The matching rows of the table as blocks in rowid order, read by the threads; `db` (in the
   * transaction {@link begin} opened) gives the range of rowids.
   */
  async *blocks(db: Db): AsyncGenerator<Block> {
    const range = rowidRange(db, this.#table);
    if (range === null) return;
    let from = range.lo;
    let width = FIRST_RANGE;
    const queue: Array<{ width: number; worker: Worker; parts: Promise<BlockPart[]> }> = [];
    let turn = 0;
    const handOut = (): void => {
      while (from <= range.hi && queue.length < this.#workers.length * RANGES_PER_THREAD) {
        const to = Math.min(range.hi, from + width - 1);
        const worker = this.#workers[turn++ % this.#workers.length]!;
        const parts = this.#call(worker, { op: 'range', from, to });
        // Read in order below; a failure after the export stopped early is nobody's to handle.
        parts.catch(() => {});
        queue.push({ width: to - from + 1, worker, parts });
        from = to + 1;
      }
    };
    handOut();
    while (queue.length > 0) {
      const { width: done, worker, parts: pending } = queue.shift()!;
      const parts = await pending;
      const bytes = parts.reduce((sum, part) => sum + part.length, 0);
      width = Math.max(1, Math.min(MAX_RANGE, Math.round((RANGE_BYTES * done) / Math.max(1, bytes))));
      handOut();
      for (const part of parts) {
        const release = (): void => {
          if (part.buffer.byteLength === BUFFER_BYTES && this.#failure === null) worker.postMessage({ op: 'free', buffer: part.buffer } satisfies BlockRequest, [part.buffer]);
        };
        yield { bytes: new Uint8Array(part.buffer, 0, part.length), rows: part.rows, newestMark: part.newestMark, release };
      }
    }
  }

  /** Ends the threads (their transactions with them) and the checking connection. */
  async close(): Promise<void> {
    this.#failure ??= new Error('the export readers are closed');
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
    this.#checker.close();
  }

  #start(data: BlockReaderData): Worker {
    // Loaded only when threads are used: the module took about 4 ms of every export's start.
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const worker = new Worker(new URL('./block-worker.js', import.meta.url), { workerData: data });
    worker.on('message', (answer: BlockAnswer) => {
      const waiting = this.#pending.get(answer.id);
      this.#pending.delete(answer.id);
      if (!waiting) return;
      if ('error' in answer) waiting.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
      else waiting.resolve(answer.parts);
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => this.#fail(new Error(`an export reader thread stopped (exit ${code})`)));
    return worker;
  }

  #version(): number {
    return this.#checker.pragma('data_version', { simple: true }) as number;
  }

  #call(worker: Worker, request: { op: 'begin' | 'end' } | { op: 'range'; from: number; to: number }): Promise<BlockPart[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...request } satisfies BlockRequest);
    });
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const { reject } of this.#pending.values()) reject(this.#failure);
    this.#pending.clear();
  }
}
