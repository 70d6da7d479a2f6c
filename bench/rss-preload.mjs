// Loaded with `node --import` by the benchmark: records the process's peak RSS (KiB) at exit.
// VmHWM, not getrusage's maxrss: Linux carries maxrss over from the parent across fork and exec,
// so a child of a large benchmark process would report the parent's peak.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;

function peakKiB() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS;
}

if (file) process.on('exit', () => writeFileSync(file, String(peakKiB())));
