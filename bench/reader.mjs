// The floor for a sync: read every page at the given concurrency, parse the JSON, store nothing.
// Usage: node bench/reader.mjs URL CONCURRENCY PER_PAGE
const [url, concurrencyText, perPageText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const perPage = Number(perPageText);
const headers = { authorization: 'Bearer bench' };

async function page(n) {
  const response = await fetch(`${url}/v1/sessions?page=${n}&perPage=${perPage}`, { headers });
  if (!response.ok) throw new Error(`page ${n}: ${response.status}`);
  return JSON.parse(await response.text());
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
if (sessions !== first.meta.total) throw new Error(`read ${sessions} of ${first.meta.total}`);
