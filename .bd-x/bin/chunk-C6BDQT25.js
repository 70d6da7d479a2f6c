import {
  UsageError
} from "./chunk-IEG2ED32.js";

// dist/option-checks.js
function optionalString(value, name) {
  if (value === void 0)
    return void 0;
  if (Array.isArray(value))
    throw new UsageError(`${name} was given more than once`);
  return String(value);
}
function shown(value) {
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}
function range(min, max) {
  return max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
}
function number(value, fallback, name, min, max) {
  if (value === void 0)
    return fallback;
  if (Array.isArray(value))
    throw new UsageError(`${name} was given more than once`);
  const n = typeof value === "number" ? value : Number(String(value).trim() === "" ? NaN : value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`${name} must be a number ${range(min, max)}, not ${shown(value)}`);
  }
  return n;
}
function integer(value, fallback, name, min, max) {
  const n = number(value, fallback, name, min, max);
  if (!Number.isInteger(n))
    throw new UsageError(`${name} must be a whole number ${range(min, max)}, not ${shown(value)}`);
  return n;
}
function oneOf(value, fallback, name, choices) {
  if (value === void 0)
    return fallback;
  if (Array.isArray(value))
    throw new UsageError(`${name} was given more than once`);
  if (!choices.includes(value))
    throw new UsageError(`${name} must be one of ${choices.join(", ")}, not ${shown(value)}`);
  return value;
}

export {
  optionalString,
  number,
  integer,
  oneOf
};
//# sourceMappingURL=chunk-C6BDQT25.js.map
