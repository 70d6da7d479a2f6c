/** Sessions younger than this stay as generated: a stuck one is at least this old. */
const MIN_AGE_MS = 2 * 86_400_000;
/**
 * Opens `count` ended sessions of `store`, spread evenly over those created more than two days
 * before its newest; returns their ids (fewer when the history has fewer).
 */
export function openStuckSessions(store, count) {
    if (count === 0)
        return [];
    const sessions = store.list({}, 'newest');
    const newest = Date.parse(sessions[0]?.createdAt ?? '');
    const old = sessions.filter((s) => s.endTime !== null && newest - Date.parse(s.createdAt) >= MIN_AGE_MS);
    const step = old.length / Math.min(count, old.length);
    const ids = new Set(Array.from({ length: Math.min(count, old.length) }, (_, i) => old[Math.floor(i * step)].id));
    store.restore({
        sessions: store
            .snapshot()
            .sessions.map((s) => (ids.has(s.id) ? { ...s, endTime: null, sessionLengthMs: null, exitStatus: null, updatedAt: s.startTime } : s)),
    });
    return [...ids];
}
//# sourceMappingURL=stuck-open.js.map