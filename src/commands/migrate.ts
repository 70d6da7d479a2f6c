/** `anam-sync migrate`: creates the database if needed and applies pending migrations. */
import { commonConfig } from '../config.js';
import { openDatabase, schemaVersion } from '../store/db.js';
import { loggerFor, type CommandContext } from './context.js';

export async function migrateCommand({ argv, env, stderr }: CommandContext): Promise<number> {
  const config = commonConfig(argv, env);
  const db = openDatabase(config.db);
  db.close();
  loggerFor(config, stderr).info(`database ${config.db} is at schema version ${schemaVersion()}`);
  return 0;
}
