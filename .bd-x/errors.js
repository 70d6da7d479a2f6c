/**
 * The error family of anam-sync. Each class carries the exit code the contract gives it, so the CLI
 * turns any failure into one line on stderr and the right code without inspecting messages.
 */
/** Exit codes of the contract. */
export const ExitCode = {
    ok: 0,
    failed: 1,
    usage: 2,
    locked: 75,
    auth: 77,
    sigint: 130,
    sigterm: 143,
};
/** Base class: a failure with a message meant for the user and the exit code it maps to. */
export class SyncError extends Error {
    exitCode;
    constructor(message, exitCode = ExitCode.failed, options) {
        super(message, options);
        this.name = new.target.name;
        this.exitCode = exitCode;
    }
}
/** Bad flag value, missing key, unusable database path: exit 2. */
export class UsageError extends SyncError {
    constructor(message, options) {
        super(message, ExitCode.usage, options);
    }
}
/** The API refused the key (401/403): exit 77, never retried. */
export class AuthError extends SyncError {
    constructor(message, options) {
        super(message, ExitCode.auth, options);
    }
}
/** Another sync holds the database: exit 75. */
export class LockedError extends SyncError {
    constructor(message) {
        super(message, ExitCode.locked);
    }
}
/** The run was stopped by a signal after finishing the page in hand: exit 130 or 143. */
export class InterruptedError extends SyncError {
    signal;
    constructor(signal) {
        super(`stopped by ${signal}; the run is recorded as interrupted`, signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm);
        this.signal = signal;
    }
}
/** The one-line message of any thrown value, for stderr. */
export function messageOf(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}
//# sourceMappingURL=errors.js.map