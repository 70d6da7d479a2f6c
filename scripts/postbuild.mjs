// Makes the compiled CLI executable so `npx anam-sync` and the bin link can run it directly.
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/cli.js', import.meta.url), 0o755);
