import {
  PAGES_PER_TRANSACTION,
  writerOps
} from "./chunk-IJNDUZVJ.js";
import "./chunk-IUG6GPWO.js";
import "./chunk-UCKWP4CT.js";
import "./chunk-I6OMP3F5.js";
import {
  openDatabase
} from "./chunk-2J63RUNB.js";
import "./chunk-IEG2ED32.js";

// dist/store/writer-worker.js
import { parentPort, workerData } from "node:worker_threads";
var MAX_OPEN_MS = 100;
var IDLE_MS = 10;
var port = parentPort;
var { path, lockToken } = workerData;
var db = openDatabase(path);
var ops = writerOps(db, lockToken);
var begin = db.prepare("BEGIN");
var commit = db.prepare("COMMIT");
var group = [];
var openedAt = 0;
var idle;
port.on("message", (request) => {
  if (request.op !== "writePage") {
    commitGroup();
    answer(request.id, () => handle(request));
    if (request.op === "close")
      port.close();
    return;
  }
  try {
    if (group.length === 0) {
      begin.run();
      openedAt = performance.now();
    }
    group.push({ id: request.id, counts: ops.writer.writeWithin(...request.args) });
  } catch (error) {
    failGroup([...group.map((page) => page.id), request.id], error);
    return;
  }
  clearTimeout(idle);
  if (group.length >= PAGES_PER_TRANSACTION || performance.now() - openedAt >= MAX_OPEN_MS)
    commitGroup();
  else
    idle = setTimeout(commitGroup, IDLE_MS);
});
port.postMessage("ready");
function commitGroup() {
  clearTimeout(idle);
  if (group.length === 0)
    return;
  const pages = group;
  group = [];
  try {
    commit.run();
  } catch (error) {
    failGroup(pages.map((page) => page.id), error);
    return;
  }
  for (const page of pages)
    port.postMessage({ id: page.id, result: page.counts });
}
function failGroup(ids, error) {
  clearTimeout(idle);
  group = [];
  if (db.inTransaction) {
    try {
      db.exec("ROLLBACK");
    } catch {
    }
  }
  for (const id of ids)
    answer(id, () => {
      throw error;
    });
}
function answer(id, work) {
  let reply;
  try {
    reply = { id, result: work() };
  } catch (error) {
    reply = { id, error: { message: error.message, code: error.code } };
  }
  port.postMessage(reply);
}
function handle(request) {
  switch (request.op) {
    case "markDeleted":
      return ops.markDeleted(...request.args);
    case "unseenLiveIds":
      return ops.unseenLiveIds(...request.args);
    case "resetSeen":
      return ops.resetSeen();
    case "pruneMembers":
      return ops.pruneMembers(...request.args);
    case "saveCounters":
      return ops.saveCounters(...request.args);
    case "close":
      db.close();
      return null;
  }
}
//# sourceMappingURL=writer-worker.js.map
