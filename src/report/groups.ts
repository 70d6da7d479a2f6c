/**
 * The report's sections that are sums over groups of live sessions with the same persona, model and
 * exit status: one pass of the covering index gives the groups (a few hundred, whatever the number
 * of sessions), and the totals, exit statuses, top personas and top models are added up here, in
 * the order SQL would give them.
 */
import type { Db } from '../store/db.js';
import { LIVE_SESSIONS } from './live-sessions.js';
import type { Params, Report } from './queries.js';
import { round3, round4, roundOrNull } from './rounding.js';

/** Rows in the top personas and top models sections. */
const TOP_N = 10;

/**
 * The live sessions of one persona, model and exit status: the totals, exit statuses, personas and
 * models are sums over these (a few hundred groups, whatever the number of sessions).
 */
interface SessionGroup {
  personaId: string | null;
  name: string | null;
  type: string | null;
  model: string | null;
  status: string | null;
  sessions: number;
  active: number;
  /** Sum of the durations (seconds) of the sessions that have one, and how many have one. */
  durationSum: number | null;
  durations: number;
}

export function sessionGroups(db: Db, where: string, params: Params): SessionGroup[] {
  // Grouped in the index's own order (persona, name, type, model, exit status): no sort.
  return db
    .prepare(
      `SELECT persona_id AS personaId, persona_name AS name, persona_type AS type, llm_model AS model, exit_status AS status,
         count(*) AS sessions, coalesce(sum(is_active), 0) AS active,
         sum(duration_s) AS durationSum, count(duration_s) AS durations
       FROM ${LIVE_SESSIONS} WHERE ${where}
       GROUP BY persona_id, persona_name, persona_type, llm_model, exit_status`,
    )
    .all(params) as SessionGroup[];
}

/** Sums of {@link SessionGroup} fields over the groups that share a key. */
interface Sums {
  sessions: number;
  active: number;
  durationSum: number | null;
  durations: number;
  /** The smallest persona type of the groups (as SQL's min(): nulls aside). */
  type: string | null;
}

/** The groups summed per `keyOf` (a JSON text of the key's values), in first-seen order. */
function sumBy<K>(groups: readonly SessionGroup[], keyOf: (group: SessionGroup) => K): Array<{ key: K; sums: Sums }> {
  const byKey = new Map<string, { key: K; sums: Sums }>();
  for (const group of groups) {
    const key = keyOf(group);
    const text = JSON.stringify(key);
    let entry = byKey.get(text);
    if (entry === undefined) {
      entry = { key, sums: { sessions: 0, active: 0, durationSum: null, durations: 0, type: null } };
      byKey.set(text, entry);
    }
    const sums = entry.sums;
    sums.sessions += group.sessions;
    sums.active += group.active;
    if (group.durationSum !== null) sums.durationSum = (sums.durationSum ?? 0) + group.durationSum;
    sums.durations += group.durations;
    if (group.type !== null && (sums.type === null || compareSql(group.type, sums.type) < 0)) sums.type = group.type;
  }
  return [...byKey.values()];
}

/**
 * SQLite's order for ORDER BY on these values: NULL first, then numbers, then text by its UTF-8 bytes
 * (a JSON field such as a persona name may hold a number).
 */
function compareSql(a: unknown, b: unknown): number {
  const rank = (value: unknown): number => (value === null ? 0 : typeof value === 'number' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return 0;
}

const meanOf = (sums: Sums): number | null => (sums.durations === 0 || sums.durationSum === null ? null : sums.durationSum / sums.durations);

/** One exit status's sessions: the report's totals are sums over these. */
export interface StatusGroup {
  status: string | null;
  sessions: number;
  active: number;
  totalDurationS: number | null;
  meanDurationS: number | null;
}

/** Per exit status, most sessions first (then by status, as SQL orders them). */
export function exitStatusGroups(groups: readonly SessionGroup[]): StatusGroup[] {
  return sumBy(groups, (group) => group.status)
    .map(({ key, sums }) => ({
      status: key,
      sessions: sums.sessions,
      active: sums.active,
      totalDurationS: sums.durationSum,
      meanDurationS: meanOf(sums),
    }))
    .sort((a, b) => b.sessions - a.sessions || compareSql(a.status, b.status));
}

export function exitStatuses(byStatus: readonly StatusGroup[]): Report['exitStatuses'] {
  const total = byStatus.reduce((sum, group) => sum + group.sessions, 0);
  return byStatus.map((group) => ({
    status: group.status,
    sessions: group.sessions,
    share: round4(group.sessions / total),
    meanDurationS: roundOrNull(group.meanDurationS),
  }));
}

/** The top rows (most sessions first, then by name and id), and how many personas there are in all. */
export function topPersonas(groups: readonly SessionGroup[]): { top: Report['topPersonas']; groups: number } {
  const total = groups.reduce((sum, group) => sum + group.sessions, 0);
  const personas = sumBy(groups, (group) => [group.personaId, group.name] as const).sort(
    (a, b) => b.sums.sessions - a.sums.sessions || compareSql(a.key[1], b.key[1]) || compareSql(a.key[0], b.key[0]),
  );
  return {
    top: personas.slice(0, TOP_N).map(({ key: [personaId, name], sums }) => ({
      personaId,
      name,
      type: sums.type,
      sessions: sums.sessions,
      share: round4(sums.sessions / total),
      totalDurationS: round3(sums.durationSum ?? 0),
    })),
    groups: personas.length,
  };
}

/** The top rows (most sessions first, then by model), and how many distinct models there are (a null model is not one). */
export function topModels(groups: readonly SessionGroup[]): { top: Report['topModels']; groups: number } {
  const total = groups.reduce((sum, group) => sum + group.sessions, 0);
  const models = sumBy(groups, (group) => group.model).sort((a, b) => b.sums.sessions - a.sums.sessions || compareSql(a.key, b.key));
  return {
    top: models.slice(0, TOP_N).map(({ key, sums }) => ({
      model: key,
      sessions: sums.sessions,
      share: round4(sums.sessions / total),
      meanDurationS: roundOrNull(meanOf(sums)),
    })),
    groups: models.filter((model) => model.key !== null).length,
  };
}
