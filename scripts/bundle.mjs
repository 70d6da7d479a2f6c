// Bundles the compiled CLI (dist/, from tsc) into dist/bin/: the command `anam-sync` runs.
//
// Why: loading yargs and our modules file by file took about 50 ms of every run, a third of an
// incremental sync with nothing new; one bundle (split where commands are loaded lazily) takes half.
// better-sqlite3 (a native addon) stays in node_modules. Of drizzle-orm only the schema and
// getTableColumns are bundled, tree-shaken (importing drizzle-orm whole cost about 115 ms of every
// run, the bundled part under 15); migrations are applied by our own runner (src/store/migrate.ts). The proxy agents stay
// too: they load only when a proxy is set, and their `debug` dependency requires Node's modules
// dynamically, which an ES module bundle cannot do.
//
// dist/bin/ sits one level below dist/ like dist/store/, so the paths the code builds from its own
// location still hold: the migrations two levels up, the writer thread's file beside it.
import { chmodSync, rmSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * string-width (yargs', cliui's and wrap-ansi's, which measure help text) builds an Intl.Segmenter
 * and a regular expression of every emoji sequence (`\p{RGI_Emoji}`) as its module loads: most of
 * the CLI's start-up (about 80 ms of `--version`, more on a busy machine), paid by every run,
 * though only help text is ever measured. Each import of it gets a stand-in that loads the real
 * module, bundled as usual, on its first call.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(plugin) {
    plugin.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real) return undefined;
      const real = await plugin.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { real: true },
      });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: relative(root, real.path), namespace: 'lazy-string-width' };
    });
    plugin.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      contents: `let real;
export default function stringWidth(...args) {
  real ??= require(${JSON.stringify(resolve(root, args.path))}).default;
  return real(...args);
}
`,
      resolveDir: dirname(resolve(root, args.path)),
      loader: 'js',
    }));
  },
};

/**
 * yargs takes two functions of Node's `assert` (its platform shim), and one of them fails on every
 * run: yargs looks for a package.json above the working folder to guess a version (ours is given
 * later) and asserts that it found one, inside a try. Loading `assert` and building the failure's
 * message took about 6 ms of every command's start. yargs gets these two instead, which throw as
 * `assert` does when the values (do not) match, without formatting the values.
 */
const yargsAssert = {
  name: 'yargs-assert',
  setup(plugin) {
    plugin.onResolve({ filter: /^assert$/ }, (args) =>
      /[\\/]node_modules[\\/]yargs[\\/]/.test(args.importer) ? { path: 'assert', namespace: 'yargs-assert' } : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'yargs-assert' }, () => ({
      contents: `function fail(message, fallback) {
  if (message instanceof Error) throw message;
  throw Object.assign(new Error(message ?? fallback), { name: 'AssertionError', code: 'ERR_ASSERTION' });
}
export function notStrictEqual(actual, expected, message) {
  if (Object.is(actual, expected)) fail(message, 'Expected values to be strictly unequal');
}
export function strictEqual(actual, expected, message) {
  if (!Object.is(actual, expected)) fail(message, 'Expected values to be strictly equal');
}
`,
      loader: 'js',
    }));
  },
};

const dist = (path) => fileURLToPath(new URL(`../dist/${path}`, import.meta.url));
rmSync(dist('bin'), { recursive: true, force: true });
await build({
  entryPoints: [dist('cli.js'), dist('store/writer-worker.js'), dist('export/block-worker.js')],
  outdir: dist('bin'),
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'https-proxy-agent', 'http-proxy-agent'],
  sourcemap: true,
  logLevel: 'warning',
  plugins: [lazyStringWidth, yargsAssert],
});
chmodSync(dist('bin/cli.js'), 0o755);
