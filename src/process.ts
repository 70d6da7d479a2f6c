/**
 * Whether another process still runs: the sync lock takes over from a dead holder, and an atomic
 * write removes the temp files a killed writer left.
 */

/** Whether process `pid` exists on this host (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
