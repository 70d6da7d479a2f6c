// dist/log.js
var RANK = { debug: 0, info: 1, warn: 2, error: 3 };
function createLogger(options) {
  const write = options.write ?? ((line) => void process.stderr.write(line));
  const clock = options.clock ?? (() => /* @__PURE__ */ new Date());
  const emit = (level, message, fields = {}) => {
    const forAPerson = level === "warn" && fields.code !== void 0;
    if (RANK[level] < RANK[options.level] && !forAPerson)
      return;
    if (options.format === "json") {
      write(`${JSON.stringify({ time: clock().toISOString(), level, message, ...fields })}
`);
      return;
    }
    const extra = Object.entries(fields).filter(([, value]) => value !== void 0).map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`).join(" ");
    const prefix = level === "info" || level === "debug" ? "" : `${level}: `;
    write(`anam-sync: ${prefix}${message}${extra ? ` (${extra})` : ""}
`);
  };
  return {
    debug: (message, fields) => emit("debug", message, fields),
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields)
  };
}

export {
  createLogger
};
//# sourceMappingURL=chunk-BT734IXT.js.map
