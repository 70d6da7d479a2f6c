import {
  loggerFor
} from "./chunk-XVP3TTKF.js";
import "./chunk-BT734IXT.js";
import {
  commonConfig
} from "./chunk-36R3UL22.js";
import "./chunk-C6BDQT25.js";
import {
  openDatabase,
  schemaVersion
} from "./chunk-2J63RUNB.js";
import "./chunk-IEG2ED32.js";

// dist/commands/migrate.js
async function migrateCommand({ argv, env, stderr }) {
  const config = commonConfig(argv, env);
  const db = openDatabase(config.db);
  db.close();
  loggerFor(config, stderr).info(`database ${config.db} is at schema version ${schemaVersion()}`);
  return 0;
}
export {
  migrateCommand
};
//# sourceMappingURL=chunk-V6XHL64K.js.map
