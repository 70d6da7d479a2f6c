/** How the report rounds: means and sums to the millisecond (more digits are float noise, not information), shares to four places. */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export function roundOrNull(value: number | null): number | null {
  return value === null ? null : round3(value);
}
