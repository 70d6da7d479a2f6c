/**
 * The simulated `GET /v1/sessions/{id}/transcript`: a conversation derived from the session (the
 * same session always has the same transcript), and Anam's retention rules applied at the
 * simulator's clock: no transcript while the session is active, none with zero data retention, none
 * once it ended more than 30 days ago; a few personas have transcripts switched off.
 */
import type { ApiSession } from '../api/types.js';
import { createRandom, hash32, type Random } from './random.js';

/** How long Anam keeps a transcript after its session ended. */
const TRANSCRIPT_RETENTION_MS = 30 * 86_400_000;

/** One message as Anam sends it; `wasInterrupted` is absent on most user messages. */
interface SimMessage {
  role: 'user' | 'persona';
  message: string;
  timestamp: string | null;
  speakingDurationSeconds: number | null;
  wasInterrupted?: boolean;
}

/** The body of a 200. */
export interface SimTranscript {
  sessionId: string;
  personaName: string | null;
  startTime: string;
  endTime: string | null;
  durationMs: number | null;
  totalMessages: number;
  transcriptsEnabled: boolean;
  messages: SimMessage[];
}

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
export function missingTranscriptReason(session: ApiSession, now: number): 'active' | 'zero-retention' | 'expired' | null {
  if (session.endTime === null) return 'active';
  if ((session.personaConfig as { zeroDataRetention?: unknown }).zeroDataRetention === true) return 'zero-retention';
  const ended = Date.parse(session.endTime);
  if (!Number.isNaN(ended) && now - ended > TRANSCRIPT_RETENTION_MS) return 'expired';
  return null;
}

/** The transcript of `session` as Anam would serve it at `now` (ms), or null (a 404). */
export function transcriptOf(session: ApiSession, now: number): SimTranscript | null {
  if (typeof session.id !== 'string' || missingTranscriptReason(session, now) !== null) return null;
  const rng = createRandom(hash32(`transcript:${session.id}`));
  const enabled = !rng.chance(0.05);
  const messages = enabled ? conversation(rng, session) : [];
  const name = (session.personaConfig as { name?: unknown }).name;
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

function conversation(rng: Random, session: ApiSession): SimMessage[] {
  const count = rng.weighted([[2, 1], [rng.int(3, 12), 5], [rng.int(13, 40), 3], [rng.int(41, 80), 1]] as const);
  const skipGreeting = (session.personaConfig as { skipGreeting?: unknown }).skipGreeting === true;
  let at = Date.parse(session.startTime) + rng.int(500, 3000);
  const messages: SimMessage[] = [];
  for (let position = 0; position < count; position++) {
    const role: SimMessage['role'] = (position % 2 === 0) !== skipGreeting ? 'persona' : 'user';
    const long = rng.chance(0.03);
    const line = rng.pick(role === 'user' ? USER_LINES : PERSONA_LINES);
    const text = long ? `${line} ${'Here is a longer explanation with details. '.repeat(rng.int(40, 120))}`.trim() : line;
    const speaking = Math.round((text.length / 15 + rng.next() * 2) * 10) / 10;
    const message: SimMessage = {
      role,
      message: text,
      timestamp: rng.chance(0.03) || Number.isNaN(at) ? null : new Date(at).toISOString(),
      speakingDurationSeconds: rng.chance(0.03) ? null : speaking,
    };
    if (role === 'persona') message.wasInterrupted = rng.chance(0.15);
    else if (rng.chance(0.2)) message.wasInterrupted = false;
    messages.push(message);
    at += Math.round(speaking * 1000) + rng.int(300, 4000);
  }
  return messages;
}
