/**
 * The writer thread: its own connection to the database, a SessionWriter, and a loop answering
 * the requests of {@link threadWriter} in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './db.js';
import { unseenLiveIds } from './scope.js';
import { SessionWriter } from './upsert.js';
import type { WriterAnswer, WriterRequest } from './writer.js';

const port = parentPort!;
const db = openDatabase((workerData as { path: string }).path);
const writer = new SessionWriter(db);

port.on('message', (request: WriterRequest) => {
  let answer: WriterAnswer;
  try {
    answer = { id: request.id, result: handle(request) };
  } catch (error) {
    answer = { id: request.id, error: { message: (error as Error).message, code: (error as { code?: string }).code } };
  }
  port.postMessage(answer);
  if (request.op === 'close') port.close();
});
port.postMessage('ready');

function handle(request: WriterRequest): unknown {
  switch (request.op) {
    case 'writePage':
      return writer.writePage(...request.args);
    case 'markDeleted':
      return writer.markDeleted(...request.args);
    case 'unseenLiveIds':
      return unseenLiveIds(db, ...request.args);
    case 'resetSeen':
      return writer.resetSeen();
    case 'close':
      db.close();
      return null;
  }
}
