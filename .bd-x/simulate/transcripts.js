import { createRandom, hash32 } from './random.js';
/** How long Anam keeps a transcript after its session ended. */
const TRANSCRIPT_RETENTION_MS = 30 * 86_400_000;
const USER_LINES = [
    'Hi! Can you help me with my order?',
    'What are your opening hours on Sunday?',
    'I would like to change my delivery address.',
    '¿Hablas español? Necesito ayuda con mi cuenta.',
    'Ich habe eine Frage zu meiner Rechnung.',
    'C’est possible de parler à quelqu’un ? 🙂',
    '予約を変更したいです。',
    'hmm',
    'Wait, sorry — say that again?',
    'Thanks, that is all. 👍',
];
const PERSONA_LINES = [
    'Hello, I am here to help. What can I do for you today?',
    'Of course. Could you give me your order number?',
    'We are open from 10:00 to 16:00 on Sundays.',
    'I have updated the address. Is there anything else?',
    'Claro, puedo ayudarte en español.',
    'Natürlich, worum geht es genau?',
    'Bien sûr ! Je vous mets en relation. ☎️',
    'かしこまりました。日付を教えてください。',
    'Let me check that for you — one moment, please.',
];
/** The reason a session has no transcript at `now`, or null when it has one. */
export function missingTranscriptReason(session, now) {
    if (session.endTime === null)
        return 'active';
    if (session.personaConfig.zeroDataRetention === true)
        return 'zero-retention';
    const ended = Date.parse(session.endTime);
    if (!Number.isNaN(ended) && now - ended > TRANSCRIPT_RETENTION_MS)
        return 'expired';
    return null;
}
/** The transcript of `session` as Anam would serve it at `now` (ms), or null (a 404). */
export function transcriptOf(session, now) {
    if (typeof session.id !== 'string' || missingTranscriptReason(session, now) !== null)
        return null;
    const rng = createRandom(hash32(`transcript:${session.id}`));
    const enabled = !rng.chance(0.05);
    const messages = enabled ? conversation(rng, session) : [];
    const name = session.personaConfig.name;
    return {
        sessionId: session.id,
        personaName: typeof name === 'string' ? name : null,
        startTime: session.startTime,
        endTime: session.endTime,
        durationMs: session.sessionLengthMs,
        totalMessages: messages.length,
        transcriptsEnabled: enabled,
        messages,
    };
}
function conversation(rng, session) {
    const count = rng.weighted([[2, 1], [rng.int(3, 12), 5], [rng.int(13, 40), 3], [rng.int(41, 80), 1]]);
    const skipGreeting = session.personaConfig.skipGreeting === true;
    let at = Date.parse(session.startTime) + rng.int(500, 3000);
    const messages = [];
    for (let position = 0; position < count; position++) {
        const role = (position % 2 === 0) !== skipGreeting ? 'persona' : 'user';
        const long = rng.chance(0.03);
        const line = rng.pick(role === 'user' ? USER_LINES : PERSONA_LINES);
        const text = long ? `${line} ${'Here is a longer explanation with details. '.repeat(rng.int(40, 120))}`.trim() : line;
        const speaking = Math.round((text.length / 15 + rng.next() * 2) * 10) / 10;
        const message = {
            role,
            message: text,
            timestamp: rng.chance(0.03) || Number.isNaN(at) ? null : new Date(at).toISOString(),
            speakingDurationSeconds: rng.chance(0.03) ? null : speaking,
        };
        if (role === 'persona')
            message.wasInterrupted = rng.chance(0.15);
        else if (rng.chance(0.2))
            message.wasInterrupted = false;
        messages.push(message);
        at += Math.round(speaking * 1000) + rng.int(300, 4000);
    }
    return messages;
}
//# sourceMappingURL=transcripts.js.map