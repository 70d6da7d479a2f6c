/**
 * The checks of option values, shared by every command's flags and the simulator's options: a
 * failure is a {@link UsageError} (exit 2) whose one line names the flag and the value given.
 */
import { isIP } from 'node:net';
import { UsageError } from './errors.js';

/** A flag's text, or undefined when it is absent; `name` is the flag an error names. */
export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new UsageError(`${name} was given more than once`);
  return String(value);
}

/** A value as an error shows it: text quoted, numbers as they are (`NaN`, `Infinity` included). */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** `from 1 to 32`, or `of at least 1` when there is no upper limit. */
function range(min: number, max: number): string {
  return max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
}

/** A number within [min, max] (text is read as a number: flags arrive as text); `name` is the flag the error names. */
export function number(value: unknown, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (Array.isArray(value)) throw new UsageError(`${name} was given more than once`);
  const n = typeof value === 'number' ? value : Number(String(value).trim() === '' ? NaN : value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`${name} must be a number ${range(min, max)}, not ${shown(value)}`);
  }
  return n;
}

/** A whole number within [min, max]. */
export function integer(value: unknown, fallback: number, name: string, min: number, max: number): number {
  const n = number(value, fallback, name, min, max);
  if (!Number.isInteger(n)) throw new UsageError(`${name} must be a whole number ${range(min, max)}, not ${shown(value)}`);
  return n;
}

/** One of `choices`, or `fallback` when the value is absent. */
export function oneOf<T extends string>(value: unknown, fallback: T, name: string, choices: readonly T[]): T {
  if (value === undefined) return fallback;
  if (Array.isArray(value)) throw new UsageError(`${name} was given more than once`);
  if (!choices.includes(value as T)) throw new UsageError(`${name} must be one of ${choices.join(', ')}, not ${shown(value)}`);
  return value as T;
}

/** True for localhost and the loopback ranges 127.0.0.0/8 and ::1. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}
