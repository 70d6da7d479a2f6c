/** A progress bar on `stream`, or a silent stand-in when the stream is not a TTY. */
export function createProgressBar(stream, enabled) {
    if (!enabled || !stream.isTTY)
        return { update() { }, done() { } };
    const started = performance.now();
    let last = 0;
    let shown = false;
    return {
        update(progress) {
            const now = performance.now();
            // Redrawing more than ~10 times a second costs more than it tells.
            if (now - last < 100)
                return;
            last = now;
            const seconds = (now - started) / 1000;
            const rate = progress.seen / Math.max(seconds, 0.001);
            // Full scans and transcript backfills know their end; head scans and lookups do not.
            const bounded = progress.phase === 'full' || progress.phase === 'transcripts';
            const pages = progress.lastPage !== null && bounded ? `${progress.pages}/${progress.lastPage}` : `${progress.pages}`;
            const remaining = progress.total !== null && bounded ? Math.max(0, progress.total - progress.seen) / Math.max(rate, 1) : null;
            const width = progress.lastPage && bounded ? Math.min(1, progress.pages / progress.lastPage) : 0;
            const bar = bounded ? `[${'#'.repeat(Math.round(width * 20)).padEnd(20, '.')}] ` : '';
            const eta = remaining === null ? '' : ` ETA ${formatSeconds(remaining)}`;
            const what = progress.phase === 'transcripts' ? `transcripts ${pages}` : `${progress.phase} pages ${pages}, ${progress.seen} sessions`;
            stream.write(`\r${bar}${what}, ${Math.round(rate)}/s${eta}\u001b[K`);
            shown = true;
        },
        done() {
            if (shown)
                stream.write('\r\u001b[K');
        },
    };
}
function formatSeconds(seconds) {
    if (seconds < 60)
        return `${Math.ceil(seconds)}s`;
    return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}
//# sourceMappingURL=progress.js.map