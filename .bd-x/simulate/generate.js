import { ALPHANUMERIC, randomText, randomUuid } from './random.js';
import { formatTime, parseMicros, quantize, randomShape } from './time-shapes.js';
/** The fixed instant the generated history ends at. */
export const BASE_INSTANT = Date.UTC(2026, 9, 1, 0, 0, 0);
const DAY_MS = 86_400_000;
/** Plain client labels. */
export const PLAIN_LABELS = [
    'web-widget',
    'kiosk-3',
    'anam-lab-chat',
    'mobile-app',
    'support-bot',
    'demo-site',
    'onboarding-flow',
    'sales-kiosk-1',
];
/** Client labels that break naive CSV, JSON or spreadsheet handling; each appears in a default data set. */
export const HARD_LABELS = [
    'Ünïcødé 😀, "quoted"\r\nline2',
    'checkout, step 2',
    'say "hello"',
    'multi\nline',
    'carriage\rreturn',
    '=HYPERLINK("http://evil.example","click")',
    '+SUM(A1:A2)',
    '-2+3',
    '@cmd',
    '日本語のラベル',
    ' padded label ',
];
/** Exit statuses of ended sessions, with their weights. */
export const EXIT_STATUSES = [
    ['NORMAL_EXIT', 55],
    ['CLOSED_BY_ENGINE', 25],
    ['ERROR', 12],
    ['TIMEOUT', 8],
];
const PERSONA_NAMES = ['Cara', 'Leo', 'Mia', 'Noah', 'Ava', 'Finn'];
const MODELS = [
    { modelName: 'gpt-4o', format: 'openai', url: 'https://api.openai.com/v1' },
    { modelName: 'claude-sonnet-4', format: 'anthropic', url: 'https://api.anthropic.com/v1' },
    { modelName: 'llama-3.3-70b', format: 'groq', url: 'https://api.groq.com/openai/v1' },
];
const LANGUAGES = ['en', 'en', 'en', 'de', 'fr', 'es', 'ja'];
const PROMPTS = [
    'You are a helpful assistant.',
    'You are a friendly receptionist. Keep answers short.',
    'You are a patient language tutor who corrects mistakes gently.',
    'You answer questions about our product catalogue, and nothing else.',
];
const USER_AGENTS = [
    'Mozilla/5.0',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
    'anam-python-sdk/1.4.0 python-httpx/0.27',
];
const SDKS = [
    { sdk: 'js-sdk', versions: ['3.2.0', '3.3.1', '3.4.0'] },
    { sdk: 'react-sdk', versions: ['1.0.4', '1.1.0'] },
    { sdk: 'python-sdk', versions: ['1.4.0'] },
];
const ENGINE_VERSIONS = ['v5.1.0', 'v5.1.2', 'v5.2.3', 'v5.3.0'];
export function createCatalog(rng) {
    const organizationId = randomUuid(rng);
    return {
        organizationId,
        otherOrganizationId: randomText(rng, 21, `${ALPHANUMERIC}_-`),
        apiKeyIds: [randomUuid(rng), randomUuid(rng), randomUuid(rng)],
        personas: PERSONA_NAMES.map((name) => {
            const id = randomUuid(rng);
            return { id, name, config: personaConfig(rng, name, 'custom', organizationId) };
        }),
    };
}
function personaConfig(rng, name, type, organizationId) {
    const model = rng.pick(MODELS);
    const elevenLabs = rng.chance(0.7);
    return {
        type,
        name,
        metadata: { client: rng.pick(['js-sdk', 'react-sdk', 'python-sdk']) },
        llmConfig: {
            id: randomUuid(rng),
            modelName: model.modelName,
            format: model.format,
            urls: [{ url: model.url, region: 'default' }],
            maxTokens: rng.pick([1024, 2048, 4096]),
            temperature: rng.int(2, 10) / 10,
            metadata: {},
            secret_iv: rng.bytes(12).toString('base64'),
            encrypted_secret: rng.bytes(48).toString('base64'),
            createdByOrganizationId: rng.chance(0.5) ? null : organizationId,
        },
        systemPrompt: rng.pick(PROMPTS),
        personality: '',
        languageCode: rng.pick(LANGUAGES),
        skipGreeting: rng.chance(0.2),
        zeroDataRetention: rng.chance(0.1),
        ttsProvider: elevenLabs ? 'ELEVENLABS' : 'CARTESIA',
        ttsProviderVoiceId: randomText(rng, 20),
        ttsProviderModelId: elevenLabs ? 'eleven_flash_v2_5' : 'sonic-2',
        ttsProviderOptions: {},
        avatarEngineKey: `${name.toLowerCase()}_home`,
        avatarVersion: `${name.toLowerCase()}-3`,
        disableBrains: false,
        fillerPhrases: [],
        useFillerPhrases: false,
        enableAudioPassthrough: false,
        voiceDetectionOptions: {},
        voiceGenerationOptions: {},
        maxSessionLengthSeconds: rng.pick([1800, 3600, 1000000]),
        fps: 25,
    };
}
export function generateSession(rng, catalog, plan) {
    const { shape, index } = plan;
    const id = randomUuid(rng);
    const persona = rng.chance(0.2) ? undefined : rng.pick(catalog.personas);
    const createdMs = quantize(plan.createdMs, shape);
    const startMs = quantize(createdMs + rng.int(0, 1500), shape);
    const ending = plan.active ? undefined : endSession(rng, shape, startMs);
    const startTime = formatTime(startMs, shape, rng);
    const updatedAt = chooseUpdatedAt(rng, plan, startTime, ending?.endMs);
    const ephemeralName = rng.pick(PERSONA_NAMES);
    const session = {
        id,
        personaId: persona?.id ?? null,
        clientLabel: chooseLabel(rng, index),
        startTime,
        endTime: ending ? formatTime(ending.endMs, shape, rng) : null,
        sessionLengthMs: ending ? ending.endMs - startMs : null,
        exitStatus: ending?.exitStatus ?? null,
        ...engineFields(rng, createdMs),
        clientMetadata: clientMetadata(rng, index),
        personaConfig: persona?.config ?? personaConfig(rng, ephemeralName, 'ephemeral', catalog.organizationId),
        apiKeyId: rng.chance(0.05) ? null : rng.pick(catalog.apiKeyIds),
        organizationId: rng.chance(0.04) ? catalog.otherOrganizationId : catalog.organizationId,
        createdAt: plan.createdAtText ?? formatTime(createdMs, shape, rng),
        updatedAt,
    };
    if (index % 25 === 7)
        session.region = rng.pick(['eu-west-1', 'us-east-1']);
    return breakIfScheduled(session, plan);
}
function endSession(rng, shape, startMs) {
    const exitStatus = rng.weighted(EXIT_STATUSES);
    const lengthMs = exitStatus === 'TIMEOUT'
        ? 1_800_000 + rng.int(0, 4000)
        : exitStatus === 'ERROR'
            ? rng.int(400, 60_000)
            : Math.round(15_000 * Math.exp(rng.next() * 4.7));
    // The end is quantized like every other timestamp, so sessionLengthMs is exactly end - start.
    return { endMs: quantize(startMs + lengthMs, shape), exitStatus };
}
function chooseUpdatedAt(rng, plan, startTime, endMs) {
    if (plan.old && plan.index % 6 === 1)
        return null;
    // An active session was last updated when it started; the same text keeps the micro digits equal.
    if (endMs === undefined)
        return startTime;
    return formatTime(quantize(endMs + rng.int(0, 3000), plan.shape), plan.shape, rng);
}
function chooseLabel(rng, index) {
    if (index % 7 === 2)
        return HARD_LABELS[Math.floor(index / 7) % HARD_LABELS.length];
    if (rng.chance(0.1))
        return null;
    return rng.pick(PLAIN_LABELS);
}
function engineFields(rng, createdMs) {
    if (rng.chance(0.02))
        return { engineHost: null, engineProtocol: null, engineVersion: null };
    const region = rng.pick(['eu', 'us']);
    const pod = `anam-engine-${rng.bytes(5).toString('hex')}-${randomText(rng, 5).toLowerCase()}`;
    // Newer sessions run newer engines, as after a rollout.
    const age = Math.max(0, Math.min(0.999, (BASE_INSTANT - createdMs) / (60 * 86_400_000)));
    const version = ENGINE_VERSIONS[ENGINE_VERSIONS.length - 1 - Math.floor(age * ENGINE_VERSIONS.length)];
    return {
        engineHost: `connect-${region}.anam.ai/v1/webrtc/engines/${pod}`,
        engineProtocol: 'https',
        engineVersion: version ?? 'v5.1.0',
    };
}
function clientMetadata(rng, index) {
    const sdk = rng.pick(SDKS);
    const metadata = {
        userAgent: rng.pick(USER_AGENTS),
        sdk: sdk.sdk,
        sdkVersion: rng.pick(sdk.versions),
    };
    if (rng.chance(0.3))
        metadata.page = rng.pick(['/', '/pricing', '/help/contact', '/demo?ref=ad']);
    if (rng.chance(0.2))
        metadata.tags = ['beta', rng.pick(['vip', 'trial', 'internal'])];
    // Secret-looking values a careless integrator put in the metadata, for redaction tests.
    if (index % 20 === 5) {
        metadata.authToken = `eyJhbGciOiJIUzI1NiJ9.${rng.bytes(24).toString('base64url')}.${rng.bytes(32).toString('base64url')}`;
    }
    else if (index % 20 === 15) {
        metadata.login = { username: `user${rng.int(1, 999)}`, password: `hunter2-${randomText(rng, 8)}` };
    }
    else if (index % 20 === 10) {
        metadata.integration = { name: 'crm', api_key: `sk-live-${randomText(rng, 32)}` };
    }
    return metadata;
}
/** Breaks every K-th record (1-based), alternating a missing id and an unparseable createdAt. */
function breakIfScheduled(session, plan) {
    const k = plan.invalidEvery;
    if (k <= 0 || (plan.index + 1) % k !== 0)
        return session;
    const nth = (plan.index + 1) / k;
    if (nth % 2 === 1) {
        const { id: _dropped, ...rest } = session;
        return rest;
    }
    return { ...session, createdAt: 'yesterday' };
}
// ---------------------------------------------------------------------------------------------
/** Creation instants of the initial sessions, ascending, spread over the `days` days before the base. */
function initialCreationTimes(rng, count, days) {
    const from = BASE_INSTANT - days * DAY_MS;
    const span = days * DAY_MS - 10 * 60_000;
    return Array.from({ length: count }, () => from + Math.floor(rng.next() * span)).sort((a, b) => a - b);
}
export function generateInitial(rng, catalog, count, invalidEvery, days) {
    const times = initialCreationTimes(rng, count, days);
    // The newest ~3% are still running, at most 40: live calls are minutes long, so even a large
    // organisation has few of them open at any moment.
    const activeFrom = count - (count > 0 ? Math.min(40, Math.max(1, Math.round(count * 0.03))) : 0);
    const sessions = [];
    let previous;
    for (let index = 0; index < count; index++) {
        // Every 40th session shares its predecessor's createdAt exactly: ties the order must break.
        const tie = previous !== undefined && index % 40 === 20 ? previous : undefined;
        const plan = {
            index,
            createdMs: tie ? parseMicros(tie.createdAt) / 1000 : times[index],
            shape: tie?.shape ?? randomShape(rng),
            active: index >= activeFrom,
            old: index < count * 0.3,
            invalidEvery,
        };
        if (tie)
            plan.createdAtText = tie.createdAt;
        const session = generateSession(rng, catalog, plan);
        sessions.push(session);
        const createdAt = session.createdAt;
        previous = parseMicros(String(createdAt)) === undefined ? undefined : { shape: plan.shape, createdAt };
    }
    return sessions;
}
//# sourceMappingURL=generate.js.map