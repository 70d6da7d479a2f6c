import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { runCli, tempFolder } from '../helpers.js';
import { CHROMIUM, HAS_CHROMIUM, syncedDatabase, type SyncedDb } from './fixture.js';

interface JsonReport {
  periods: unknown[];
  durations: { histogram: unknown[] };
  exitStatuses: unknown[];
  topPersonas: unknown[];
  topModels: unknown[];
}

let data: SyncedDb;
let out: ReturnType<typeof tempFolder>;

beforeAll(async () => {
  data = await syncedDatabase(700, 9);
  out = tempFolder();
});

afterAll(async () => {
  await data?.close();
  out?.cleanup();
});

async function writeHtml(db: string, file: string, ...args: string[]): Promise<string> {
  const result = await runCli(['report', '--db', db, '--html', file, '--quiet', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('');
  return readFileSync(file, 'utf8');
}

async function json(db: string, ...args: string[]): Promise<JsonReport> {
  const result = await runCli(['report', '--db', db, '--json', ...args]);
  return JSON.parse(result.stdout) as JsonReport;
}

/** The markup of the `<svg data-chart=NAME>` element, or undefined. */
function chart(html: string, name: string): string | undefined {
  return new RegExp(`<svg[^>]*data-chart="${name}"[\\s\\S]*?</svg>`).exec(html)?.[0];
}

function count(markup: string | undefined, pattern: RegExp): number {
  return markup === undefined ? -1 : (markup.match(pattern) ?? []).length;
}

/** Attribute values inside the page's tags that would make a browser fetch something. */
function fetching(html: string): string[] {
  const found: string[] = [];
  for (const [tag] of html.matchAll(/<[a-z][^>]*>/gi)) {
    for (const m of tag.matchAll(/\s(src|href|srcset|action|poster|data|xlink:href|background)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi)) {
      const value = (m[2] ?? '').replace(/^["']|["']$/g, '').trim();
      if (!value.startsWith('#') && !value.startsWith('data:')) found.push(`${m[1]}=${value}`);
    }
  }
  return found;
}

describe('report --html', () => {
  it('writes one self-contained page: no script, no network reference, a policy forbidding requests', async () => {
    const html = await writeHtml(data.path, join(out.path, 'report.html'));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|@import|url\(/i);
    expect(fetching(html)).toEqual([]);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
  });

  it('draws a column per day, a column per length bucket, and a bar per exit status, persona and model', async () => {
    const html = await writeHtml(data.path, join(out.path, 'charts.html'));
    const report = await json(data.path);
    expect(report.periods.length).toBeGreaterThan(0);
    const bars = /<rect class="bar[ "]/g;
    expect(count(chart(html, 'per-day'), bars)).toBe(report.periods.length);
    expect(count(chart(html, 'durations'), bars)).toBe(report.durations.histogram.length);
    expect(count(chart(html, 'exit-statuses'), bars)).toBe(report.exitStatuses.length);
    expect(count(chart(html, 'personas'), bars)).toBe(report.topPersonas.length);
    expect(count(chart(html, 'models'), bars)).toBe(report.topModels.length);
    // Every chart names itself for screen readers, and every bar carries its numbers as a tooltip.
    for (const name of ['per-day', 'durations', 'exit-statuses', 'personas', 'models']) {
      expect(chart(html, name)).toMatch(/^<svg[^>]* role="img" aria-label="[^"]+"/);
      expect(count(chart(html, name), /<title>/g)).toBe(count(chart(html, name), bars));
    }
  });

  it('follows the filters', async () => {
    const html = await writeHtml(data.path, join(out.path, 'filtered.html'), '--from', '2026-09-20', '--to', '2026-09-26');
    expect(count(chart(html, 'per-day'), /<rect class="bar[ "]/g)).toBe(7);
    expect(html).toContain('Sep 20, 2026 – Sep 26, 2026');
  });

  it('replaces an existing file whole and leaves no temp file behind', async () => {
    const folder = tempFolder();
    try {
      const file = join(folder.path, 'report.html');
      writeFileSync(file, 'old report');
      const html = await writeHtml(data.path, file);
      expect(html).toContain('</html>');
      expect(readdirSync(folder.path)).toEqual(['report.html']);
    } finally {
      folder.cleanup();
    }
  });

  it('escapes names, so a persona or model cannot inject markup or a request', async () => {
    const folder = tempFolder();
    try {
      const path = join(folder.path, 'hostile.db');
      const db = openDatabase(path);
      const insert = db.prepare(
        `INSERT INTO sessions (id, start_time, end_time, session_length_ms, exit_status, created_at, first_synced_at, last_synced_at, persona_config, client_metadata)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')`,
      );
      const config = JSON.stringify({
        name: '<img src=https://evil.example/x.png onerror=alert(1)>',
        type: 'ephemeral',
        llmConfig: { modelName: '</svg><script src="//evil.example/s.js"></script>' },
      });
      for (let i = 0; i < 5; i++) {
        const t = `2026-09-0${i + 1}T10:00:00.000Z`;
        insert.run(`00000000-0000-4000-8000-00000000000${i}`, t, i === 4 ? null : t, i === 4 ? null : 60_000 * (i + 1), i === 4 ? null : 'WEIRD"<status>', t, t, t, config);
      }
      db.close();
      const html = await writeHtml(path, join(folder.path, 'hostile.html'));
      expect(html).not.toMatch(/<img|<script|<\/svg><script/i);
      expect(fetching(html)).toEqual([]);
      expect(html).toContain('&#60;img src=https:');
      expect(count(chart(html, 'per-day'), /<rect class="bar[ "]/g)).toBe(5); // Sep 1-5: the data's own range
      expect(count(chart(html, 'per-day'), /<rect class="bar" data-value="1"/g)).toBe(5);
    } finally {
      folder.cleanup();
    }
  });

  it('says there is nothing to show on an empty database', async () => {
    const folder = tempFolder();
    try {
      const path = join(folder.path, 'empty.db');
      openDatabase(path).close();
      const html = await writeHtml(path, join(folder.path, 'empty.html'));
      expect(html).toContain('No sessions match these filters.');
      expect(html).not.toContain('<svg');
    } finally {
      folder.cleanup();
    }
  });
});

describe('report --html in a browser', () => {
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
  });

  it.skipIf(!HAS_CHROMIUM)(
    `opens with no request beyond the file and shows every chart (needs ${CHROMIUM}: apt-get install -y chromium)`,
    async () => {
      const file = join(out.path, 'browser.html');
      await writeHtml(data.path, file);
      const report = await json(data.path);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      const failed: string[] = [];
      const console: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText ?? ''}`));
      page.on('console', (message) => console.push(`${message.type()}: ${message.text()}`));
      const url = pathToFileURL(file).href;
      await page.goto(url, { waitUntil: 'load' });

      const charts = await page.$$eval('svg.chart', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const bars = [...svg.querySelectorAll('rect.bar')].map((bar) => bar.getBoundingClientRect());
          return {
            name: svg.getAttribute('data-chart'),
            width: box.width,
            height: box.height,
            bars: bars.length,
            drawn: bars.filter((bar) => bar.width > 0 && bar.height > 0).length,
          };
        }),
      );
      expect(charts.map((c) => c.name)).toEqual(['per-day', 'durations', 'exit-statuses', 'personas', 'models']);
      for (const c of charts) {
        expect(c.width, c.name ?? '').toBeGreaterThan(200);
        expect(c.height, c.name ?? '').toBeGreaterThan(50);
        expect(c.drawn, c.name ?? '').toBeGreaterThan(0);
      }
      expect(charts[0]?.bars).toBe(report.periods.length);
      expect(await page.locator('h1').isVisible()).toBe(true);
      expect(requests).toEqual([url]);
      expect(failed).toEqual([]);
      expect(console).toEqual([]);
    },
  );
});
