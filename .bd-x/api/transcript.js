/**
 * The transcript record of `GET /v1/sessions/{id}/transcript`: validation of what the API sent,
 * canonical UTC times, redaction of its JSON. Pure functions, no I/O.
 */
import { canonicalTime } from '../time.js';
import { redactedJson } from './session.js';
function optionalTime(value, field) {
    if (value === undefined || value === null)
        return null;
    const time = typeof value === 'string' ? canonicalTime(value) : null;
    return time ?? new Error(`${field} is not an RFC 3339 date-time`);
}
function optionalNumber(value, field, integer) {
    if (value === undefined || value === null)
        return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
        return new Error(`${field} is not ${integer ? 'an integer' : 'a number'}`);
    }
    return value;
}
/**
 * Validates the answer for session `sessionId`. An answer about another session, or one whose
 * messages are not what the API documents, is refused whole (never stored in part).
 */
export function parseTranscript(input, sessionId) {
    if (input === null || typeof input !== 'object' || Array.isArray(input))
        return { ok: false, reason: 'the answer is not a JSON object' };
    const body = input;
    if (body.sessionId !== sessionId) {
        return { ok: false, reason: `the answer is about session ${JSON.stringify(body.sessionId)?.slice(0, 80)}, not ${sessionId}` };
    }
    if (!Array.isArray(body.messages))
        return { ok: false, reason: 'messages is not an array' };
    const startTime = optionalTime(body.startTime, 'startTime');
    const endTime = optionalTime(body.endTime, 'endTime');
    const durationMs = optionalNumber(body.durationMs, 'durationMs', true);
    const totalMessages = optionalNumber(body.totalMessages, 'totalMessages', true);
    for (const value of [startTime, endTime, durationMs, totalMessages])
        if (value instanceof Error)
            return { ok: false, reason: value.message };
    if (body.personaName !== undefined && body.personaName !== null && typeof body.personaName !== 'string') {
        return { ok: false, reason: 'personaName is not a string' };
    }
    const counts = { messages: 0, user: 0, persona: 0, interruptions: 0, userSpeakingSeconds: 0, personaSpeakingSeconds: 0 };
    const messages = [];
    for (const [position, item] of body.messages.entries()) {
        const where = `messages[${position}]`;
        if (item === null || typeof item !== 'object' || Array.isArray(item))
            return { ok: false, reason: `${where} is not an object` };
        const m = item;
        if (m.role !== 'user' && m.role !== 'persona')
            return { ok: false, reason: `${where}.role is ${JSON.stringify(m.role)}, not user or persona` };
        if (typeof m.message !== 'string')
            return { ok: false, reason: `${where}.message is not a string` };
        const timestamp = optionalTime(m.timestamp, `${where}.timestamp`);
        const speaking = optionalNumber(m.speakingDurationSeconds, `${where}.speakingDurationSeconds`, false);
        if (timestamp instanceof Error)
            return { ok: false, reason: timestamp.message };
        if (speaking instanceof Error)
            return { ok: false, reason: speaking.message };
        if (m.wasInterrupted !== undefined && m.wasInterrupted !== null && typeof m.wasInterrupted !== 'boolean') {
            return { ok: false, reason: `${where}.wasInterrupted is not a boolean` };
        }
        const interrupted = typeof m.wasInterrupted === 'boolean' ? m.wasInterrupted : null;
        messages.push({ position, role: m.role, message: m.message, timestamp, speakingDurationSeconds: speaking, interrupted });
        counts.messages++;
        if (m.role === 'user') {
            counts.user++;
            counts.userSpeakingSeconds += speaking ?? 0;
        }
        else {
            counts.persona++;
            counts.personaSpeakingSeconds += speaking ?? 0;
        }
        if (interrupted === true)
            counts.interruptions++;
    }
    return {
        ok: true,
        transcript: {
            sessionId,
            personaName: body.personaName ?? null,
            startTime: startTime,
            endTime: endTime,
            durationMs: durationMs,
            totalMessages: totalMessages,
            transcriptsEnabled: body.transcriptsEnabled !== false,
            messages,
            counts,
            raw: redactedJson(body),
        },
    };
}
//# sourceMappingURL=transcript.js.map