// The floor for a transcript backfill: ask for the transcript of every ended session that a
// backfill would ask about (the simulator's list, less zero-data-retention personas), at the given
// concurrency, and parse the JSON; store nothing.
// Usage: node bench/transcript-reader.mjs URL CONCURRENCY
const [url, concurrencyText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const headers = { authorization: 'Bearer bench' };

const sessions = await (await fetch(`${url}/_simulator/sessions`)).json();
const ids = sessions.filter((s) => s.endTime !== null && s.personaConfig?.zeroDataRetention !== true).map((s) => s.id);
let next = 0;
let found = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const response = await fetch(`${url}/v1/sessions/${id}/transcript`, { headers });
      const text = await response.text();
      if (response.status === 200) {
        JSON.parse(text);
        found++;
      } else if (response.status !== 404) {
        throw new Error(`${id}: ${response.status}`);
      }
    }
  }),
);
if (found === 0) throw new Error('no transcript found');
