// The floor for a sync that stores: the same page reads as bench/reader.mjs, plus each record's raw
// JSON in one keyed SQLite table, one transaction per page, nothing else (no validation, no
// redaction, no versions, no indexes, no run records).
// Usage: node bench/store-floor.mjs URL CONCURRENCY PER_PAGE DB
import Database from 'better-sqlite3';

const [url, concurrencyText, perPageText, file] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const perPage = Number(perPageText);
const headers = { authorization: 'Bearer bench' };

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, json TEXT NOT NULL)');
const insert = db.prepare('INSERT OR REPLACE INTO sessions (id, json) VALUES (?, ?)');
const store = db.transaction((records) => {
  for (const record of records) insert.run(record.id, JSON.stringify(record));
});

async function page(n) {
  const response = await fetch(`${url}/v1/sessions?page=${n}&perPage=${perPage}`, { headers });
  if (!response.ok) throw new Error(`page ${n}: ${response.status}`);
  const body = JSON.parse(await response.text());
  store(body.data);
  return body;
}

const first = await page(1);
let next = 2;
let sessions = first.data.length;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next <= first.meta.lastPage) {
      const body = await page(next++);
      sessions += body.data.length;
    }
  }),
);
db.close();
if (sessions !== first.meta.total) throw new Error(`read ${sessions} of ${first.meta.total}`);
