var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// dist/errors.js
var ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  locked: 75,
  auth: 77,
  sigint: 130,
  sigterm: 143
};
var SyncError = class extends Error {
  exitCode;
  constructor(message, exitCode = ExitCode.failed, options) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
};
var UsageError = class extends SyncError {
  constructor(message, options) {
    super(message, ExitCode.usage, options);
  }
};
var AuthError = class extends SyncError {
  constructor(message, options) {
    super(message, ExitCode.auth, options);
  }
};
var LockedError = class extends SyncError {
  constructor(message) {
    super(message, ExitCode.locked);
  }
};
var InterruptedError = class extends SyncError {
  signal;
  constructor(signal) {
    super(`stopped by ${signal}; the run is recorded as interrupted`, signal === "SIGINT" ? ExitCode.sigint : ExitCode.sigterm);
    this.signal = signal;
  }
};
function messageOf(error) {
  if (error instanceof Error)
    return error.message;
  return String(error);
}

export {
  __commonJS,
  __toESM,
  ExitCode,
  SyncError,
  UsageError,
  AuthError,
  LockedError,
  InterruptedError,
  messageOf
};
//# sourceMappingURL=chunk-IEG2ED32.js.map
