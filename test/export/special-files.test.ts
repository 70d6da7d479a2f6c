/**
 * `--out` and `--html` on what people really point them at: devices, FIFOs, `/dev/stdout` and
 * symbolic links. Every special file is made here, in a temp folder (`mknod`, `mkfifo`, `ln -s`):
 * the tests run as root, and one that went wrong on a real /dev entry would replace the machine's
 * device with a file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync, chmodSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli, runCliBinary, tempDirs } from '../helpers.js';
import { hardDatabase } from './fixture.js';

const dirs = tempDirs();
let dir: string;
let db: string;
/** The CSV export of `db`, as written to a regular file. */
let expected: Buffer;

/** Whether this machine lets the tests make a device node or a FIFO (a container may forbid mknod). */
function can(command: string, args: string[]): boolean {
  const probe = dirs.make();
  try {
    execFileSync(command, [...args.map((a) => a.replace('@', join(probe, 'probe')))], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const canMknod = can('mknod', ['@', 'c', '1', '3']);
const canMkfifo = can('mkfifo', ['@']);

beforeAll(async () => {
  dir = dirs.make();
  db = hardDatabase(dir);
  const out = join(dir, 'plain.csv');
  expect((await runCli(['export', '--db', db, '--out', out, '--quiet'])).code).toBe(0);
  expected = readFileSync(out);
}, 120_000);
afterAll(() => dirs.cleanup());

describe('--out to a special file leaves it what it is', () => {
  it.skipIf(!canMknod)('writes through a character device (a null device made with mknod) and leaves it a device', async () => {
    const device = join(dir, 'null');
    execFileSync('mknod', [device, 'c', '1', '3']);
    const rdev = statSync(device).rdev;
    const result = await runCli(['export', '--db', db, '--out', device]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`anam-sync: exported 240 sessions as csv to ${device}\n`);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(statSync(device).rdev).toBe(rdev);
    // Nothing was left beside it: no temp file, no renamed copy.
    expect(execFileSync('ls', ['-A', dir], { encoding: 'utf8' }).split('\n').filter((f) => f.startsWith('.null'))).toEqual([]);
  });

  it.skipIf(!canMknod)('reports a full device (a /dev/full made with mknod) as a failed write, exit 1, and leaves it a device', async () => {
    const device = join(dir, 'full');
    execFileSync('mknod', [device, 'c', '1', '7']);
    const result = await runCli(['export', '--db', db, '--out', device]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`anam-sync: error: writing ${device} failed: the disk is full\n`);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it('writes through a link to /proc/self/fd/1 (what /dev/stdout is): the bytes arrive on stdout and the link stays', async () => {
    const link = join(dir, 'stdout');
    symlinkSync('/proc/self/fd/1', link);
    const result = await runCliBinary(['export', '--db', db, '--out', link, '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stdout.equals(expected)).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('/proc/self/fd/1');
  });

  it('appends through /proc/self/fd/1 when stdout is a file opened for appending (>>), instead of writing over it', async () => {
    const link = join(dir, 'stdout-append');
    symlinkSync('/proc/self/fd/1', link);
    const log = join(dir, 'appended.csv');
    writeFileSync(log, 'already here\n');
    const fd = openSync(log, 'a');
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, 'export', '--db', db, '--out', link, '--quiet'], {
          env: { PATH: process.env.PATH ?? '' },
          stdio: ['ignore', fd, 'ignore'],
        });
        child.on('error', reject);
        child.on('close', resolve);
      });
      expect(code).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(log).equals(Buffer.concat([Buffer.from('already here\n'), expected]))).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it.skipIf(!canMkfifo)('writes through a FIFO to its reader and leaves it a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const chunks: Buffer[] = [];
    const read = new Promise<void>((resolve, reject) => {
      createReadStream(fifo).on('data', (chunk) => chunks.push(chunk as Buffer)).on('end', resolve).on('error', reject);
    });
    const result = await runCli(['export', '--db', db, '--out', fifo, '--quiet']);
    await read;
    expect(result.code).toBe(0);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('replaces the file a symbolic link points to, keeps the link, and keeps the file\'s mode', async () => {
    const real = join(dir, 'real.csv');
    const link = join(dir, 'link.csv');
    writeFileSync(real, 'old\n');
    chmodSync(real, 0o640);
    symlinkSync('real.csv', link);
    const result = await runCli(['export', '--db', db, '--out', link, '--quiet']);
    expect(result.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('real.csv');
    expect(readFileSync(real).equals(expected)).toBe(true);
    expect(statSync(real).mode & 0o777).toBe(0o640);
  });

  it('follows a chain of links into another folder, and a link to nothing yet creates the file it names', async () => {
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere', 'new.csv'), join(dir, 'first-link'));
    symlinkSync('first-link', join(dir, 'second-link'));
    const result = await runCli(['export', '--db', db, '--out', join(dir, 'second-link'), '--quiet']);
    expect(result.code).toBe(0);
    expect(lstatSync(join(dir, 'second-link')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'first-link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'elsewhere', 'new.csv')).equals(expected)).toBe(true);
  });

  it('refuses a link that leads to the database itself: exit 2, one line, the database unchanged', async () => {
    const link = join(dir, 'sneaky.csv');
    symlinkSync(db, link);
    const before = readFileSync(db);
    const result = await runCli(['export', '--db', db, '--out', link]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`anam-sync: error: --out ${link} leads to the database itself; choose another file\n`);
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});

describe('--out or --html that cannot be a file', () => {
  it('a folder is one line, exit 2, and no row is read', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const result = await runCli(['export', '--db', db, '--out', folder]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`anam-sync: error: --out ${folder} is a folder; name a file inside it\n`);
  });

  it('a path under a file is one line naming the file, exit 2', async () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const result = await runCli(['report', '--db', db, '--html', join(file, 'sub', 'r.html')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`anam-sync: error: --html ${join(file, 'sub', 'r.html')}: ${file} is a file, not a folder\n`);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('a loop of links is one line, exit 2', async () => {
    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    const result = await runCli(['export', '--db', db, '--out', join(dir, 'loop-a')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`anam-sync: error: --out ${join(dir, 'loop-a')}: too many symbolic links (a loop?)\n`);
  });
});

describe('report --html uses the same writer', () => {
  it('replaces the target of a link and keeps the link', async () => {
    writeFileSync(join(dir, 'page.html'), 'old');
    symlinkSync('page.html', join(dir, 'page-link.html'));
    const result = await runCli(['report', '--db', db, '--html', join(dir, 'page-link.html'), '--quiet']);
    expect(result.code).toBe(0);
    expect(lstatSync(join(dir, 'page-link.html')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'page.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it.skipIf(!canMknod)('writes through a character device and leaves it a device', async () => {
    const device = join(dir, 'html-null');
    execFileSync('mknod', [device, 'c', '1', '3']);
    const result = await runCli(['report', '--db', db, '--html', device, '--quiet']);
    expect(result.code).toBe(0);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });
});
