/**
 * A block reader thread: its own read-only connection to the database, and one query (the lines of
 * the rows in a range of rowids, encoded by SQLite: rows.ts's rangeQuery) answered for each range it
 * is sent, in order. Between 'begin' and 'end' every range is read in one read transaction, whose
 * snapshot the main thread has checked is its own (block-threads.ts).
 *
 * The lines are written as UTF-8 into buffers that travel to the main thread (moved, not copied)
 * and come back once written, so the thread allocates no memory per range: a new buffer per range
 * (as SQLite's BLOBs would be) lives outside the JavaScript heap until V8 next collects, tens of
 * megabytes later in every thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openReader } from '../store/db.js';
import { BUFFER_BYTES, type BlockAnswer, type BlockPart, type BlockReaderData, type BlockRequest, SNAPSHOT_READ } from './block-threads.js';

const port = parentPort!;
const { name, sql, params, cacheKib } = workerData as BlockReaderData;
const db = openReader(name);
db.pragma(`cache_size = -${cacheKib}`);
const range = db.prepare(sql).raw(true);
const touch = db.prepare(SNAPSHOT_READ);
/** Buffers the main thread has written and sent back. */
const free: ArrayBuffer[] = [];

port.on('message', (request: BlockRequest) => {
  if (request.op === 'free') {
    free.push(request.buffer);
    return;
  }
  try {
    if (request.op === 'begin') {
      db.exec('BEGIN');
      touch.get();
      reply({ id: request.id, parts: [] });
    } else if (request.op === 'end') {
      if (db.inTransaction) db.exec('COMMIT');
      reply({ id: request.id, parts: [] });
    } else if (request.op === 'range') {
      const parts = read(request.from, request.to);
      port.postMessage(
        { id: request.id, parts } satisfies BlockAnswer,
        parts.map((part) => part.buffer),
      );
    }
  } catch (error) {
    const { message, code } = error as { message: string; code?: string };
    reply({ id: request.id, error: { message, code } });
  }
});

/** The lines of the rows in the range, in order, in as many buffers as they fill. */
function read(from: number, to: number): BlockPart[] {
  const parts: BlockPart[] = [];
  let part = start(BUFFER_BYTES);
  for (const [line, mark] of range.iterate({ ...params, from, to }) as IterableIterator<[string, unknown]>) {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; only a line near the end is measured.
    if (line.length * 3 > part.view.length - part.length) {
      const size = Buffer.byteLength(line);
      if (size > part.view.length - part.length) {
        if (part.rows > 0) parts.push(finish(part));
        // A row larger than a buffer (a record of megabytes) gets one of its own, which is not kept.
        part = start(Math.max(size, BUFFER_BYTES));
      }
    }
    part.length += part.view.write(line, part.length);
    part.rows++;
    if (typeof mark === 'string' && (part.newestMark === null || mark > part.newestMark)) part.newestMark = mark;
  }
  if (part.rows > 0) parts.push(finish(part));
  else if (part.buffer.byteLength === BUFFER_BYTES) free.push(part.buffer);
  return parts;
}

interface OpenPart extends BlockPart {
  view: Buffer;
}

function start(size: number): OpenPart {
  const buffer = size === BUFFER_BYTES ? (free.pop() ?? new ArrayBuffer(BUFFER_BYTES)) : new ArrayBuffer(size);
  return { buffer, view: Buffer.from(buffer), length: 0, rows: 0, newestMark: null };
}

/** The part without its view: a Buffer in a message would be copied, though its memory is moved. */
function finish({ buffer, length, rows, newestMark }: OpenPart): BlockPart {
  return { buffer, length, rows, newestMark };
}

function reply(answer: BlockAnswer): void {
  port.postMessage(answer);
}
