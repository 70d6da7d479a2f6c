/**
 * Whether another process still runs: the sync lock takes over from a dead holder, and an atomic
 * write removes the temp files a killed writer left.
 */
/** Whether process `pid` exists on this host (signal 0 checks without signalling). */
export function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        // EPERM: the process exists but belongs to someone else.
        return error.code === 'EPERM';
    }
}
//# sourceMappingURL=process.js.map