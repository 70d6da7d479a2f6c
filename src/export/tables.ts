/**
 * The tables `export --table` writes. Only names here (no imports), so the command line can list
 * them as choices without loading the schema.
 */

/** The tables a file export carries; `sessions` is the default and the only one `--dataset` writes. */
export const EXPORT_TABLES = ['sessions', 'transcripts', 'transcript_messages'] as const;
export type ExportTableName = (typeof EXPORT_TABLES)[number];

/**
 * The `export_bookmarks` key of `--since-last NAME` for a file export of `table`: `NAME` for
 * sessions (as before transcripts existed), `TABLE:NAME` for the others, so that one name keeps one
 * bookmark per table. `dataset:NAME` is the dataset export's.
 */
export function bookmarkKey(table: ExportTableName, name: string): string {
  return table === 'sessions' ? name : `${table}:${name}`;
}

/** Prefixes of bookmark keys that are not a sessions file export's own: such a name is refused there. */
export const RESERVED_BOOKMARK_PREFIXES: readonly string[] = ['dataset:', ...EXPORT_TABLES.filter((t) => t !== 'sessions').map((t) => `${t}:`)];
