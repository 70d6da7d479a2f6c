/** `anam-sync migrate`: creates the database if needed and applies pending migrations. */
import { commonConfig } from '../config.js';
import { openDatabase, schemaVersion } from '../store/db.js';
import { loggerFor } from './context.js';
export async function migrateCommand({ argv, env, stderr }) {
    const config = commonConfig(argv, env);
    const db = openDatabase(config.db);
    db.close();
    loggerFor(config, stderr).info(`database ${config.db} is at schema version ${schemaVersion()}`);
    return 0;
}
//# sourceMappingURL=migrate.js.map