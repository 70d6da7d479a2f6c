import {
  createLogger
} from "./chunk-BT734IXT.js";

// dist/commands/context.js
function loggerFor(config, stderr) {
  return createLogger({
    format: config.logFormat,
    level: config.quiet ? "error" : config.verbose ? "debug" : "info",
    write: (line) => void stderr.write(line)
  });
}

export {
  loggerFor
};
//# sourceMappingURL=chunk-XVP3TTKF.js.map
