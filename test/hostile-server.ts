/**
 * An Anam-shaped API that nobody here would write on purpose: it lies in `meta`, clamps or repeats
 * pages, lists a session twice, cuts pages short, and answers a lookup with another session. The
 * sync must end within its ceiling against it, store every record it listed, and store nothing
 * else. Real HTTP on 127.0.0.1 (port 0); it remembers every id it put in a list response.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One session as the hostile server holds it (the fields the sync needs, and one it checks). */
export interface HostileSession {
  id: string;
  clientLabel: string;
  createdAt: string;
  startTime: string;
  endTime: string | null;
  updatedAt: string;
  personaName: string;
}

/** How the server misbehaves; every field optional (default: it behaves). */
export interface Misbehaviour {
  /** `meta.total` to send instead of the true count (may be negative). */
  total?: number;
  /** `meta.lastPage` to send instead of the true one. */
  lastPage?: number;
  /** What a page past the last holds: nothing (default), the last page again, or that with currentPage echoing the page asked. */
  pastEnd?: 'empty' | 'clamp' | 'clamp-echo';
  /** Every page lists its first session twice. */
  duplicateWithinPage?: boolean;
  /** Every page after the first also lists the previous page's last session (as a shift would). */
  duplicateAcrossPages?: boolean;
  /** This page leaves out its last session (it is then listed nowhere). */
  shortPage?: number;
  /** Page 1 holds two sessions more than perPage. */
  overfullFirstPage?: boolean;
  /** `meta.next` is never null. */
  nextNeverNull?: boolean;
  /** A lookup by id answers with another session's record. */
  lookupAnswersOther?: boolean;
  /** How `search` matches: a substring of id or label (default), or the persona's name only. */
  search?: 'substring' | 'persona-name';
}

export interface HostileServer {
  url: string;
  sessions: HostileSession[];
  misbehaviour: Misbehaviour;
  /** Every id any list response carried. */
  listed: Set<string>;
  stats: { list: number; get: number };
  /** The `meta.total` page 1 sent last. */
  lastTotal(): number | null;
  close(): Promise<void>;
}

/** `count` sessions, newest first, one minute apart, ending `open` of them still active. */
export function hostileSessions(count: number, open = 0, seed = 1): HostileSession[] {
  const base = Date.parse('2026-10-01T12:00:00.000Z');
  return Array.from({ length: count }, (_, i) => {
    const created = new Date(base - i * 60_000).toISOString();
    const ended = i >= open;
    return {
      id: `${String(seed).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`,
      clientLabel: `label-${i % 7}-${i}`,
      createdAt: created,
      startTime: created,
      endTime: ended ? new Date(base - i * 60_000 + 30_000).toISOString() : null,
      updatedAt: ended ? new Date(base - i * 60_000 + 30_000).toISOString() : created,
      personaName: i % 3 === 0 ? 'Cara' : 'Leo',
    };
  });
}

/** The session as the API would send it. */
function wire(session: HostileSession): Record<string, unknown> {
  return {
    id: session.id,
    personaId: null,
    clientLabel: session.clientLabel,
    startTime: session.startTime,
    endTime: session.endTime,
    sessionLengthMs: session.endTime === null ? null : 30_000,
    exitStatus: session.endTime === null ? null : 'NORMAL_EXIT',
    engineHost: null,
    engineProtocol: null,
    engineVersion: null,
    clientMetadata: {},
    personaConfig: { name: session.personaName, llmConfig: { maxTokens: 4096, secret_iv: 'iv-secret' } },
    apiKeyId: null,
    organizationId: 'org-1',
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
  };
}

export async function startHostileServer(sessions: HostileSession[], misbehaviour: Misbehaviour = {}): Promise<HostileServer> {
  const listed = new Set<string>();
  const stats = { list: 0, get: 0 };
  let lastTotal: number | null = null;
  const state = { sessions, misbehaviour };

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const list = (url: URL): unknown => {
    const m = state.misbehaviour;
    const page = Number(url.searchParams.get('page') ?? '1');
    const perPage = Number(url.searchParams.get('perPage') ?? '10');
    const search = url.searchParams.get('search');
    const all = state.sessions.filter((s) => {
      if (search === null) return true;
      if (m.search === 'persona-name') return s.personaName === search;
      return s.id.toLowerCase().includes(search.toLowerCase()) || s.clientLabel.toLowerCase().includes(search.toLowerCase());
    });
    const lastPage = Math.max(1, Math.ceil(all.length / perPage));
    let shown = page;
    let data: HostileSession[];
    if (page > lastPage && m.pastEnd !== undefined && m.pastEnd !== 'empty') {
      data = all.slice((lastPage - 1) * perPage, lastPage * perPage);
      shown = m.pastEnd === 'clamp' ? lastPage : page;
    } else {
      const extra = page === 1 && m.overfullFirstPage === true ? 2 : 0;
      data = all.slice((page - 1) * perPage, page * perPage + extra);
    }
    if (m.shortPage === page && data.length > 0) data = data.slice(0, -1);
    if (m.duplicateWithinPage === true && data.length > 0) data = [data[0]!, ...data];
    if (m.duplicateAcrossPages === true && page > 1 && page <= lastPage) {
      const previous = all[(page - 1) * perPage - 1];
      if (previous !== undefined) data = [previous, ...data];
    }
    for (const s of data) listed.add(s.id);
    const total = m.total ?? all.length;
    if (page === 1) lastTotal = total;
    const claimedLast = m.lastPage ?? lastPage;
    return {
      data: data.map(wire),
      meta: {
        total,
        lastPage: claimedLast,
        currentPage: shown,
        perPage,
        prev: page > 1 ? page - 1 : null,
        next: m.nextNeverNull === true || page < claimedLast ? page + 1 : null,
      },
    };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/v1/sessions') {
      stats.list++;
      send(res, 200, list(url));
      return;
    }
    const match = /^\/v1\/sessions\/([^/]+)$/.exec(url.pathname);
    if (match !== null) {
      stats.get++;
      const id = decodeURIComponent(match[1]!);
      const index = state.sessions.findIndex((s) => s.id === id);
      if (index < 0) return send(res, 404, { message: 'not found' });
      const answer = state.misbehaviour.lookupAnswersOther === true ? state.sessions[(index + 1) % state.sessions.length]! : state.sessions[index]!;
      if (answer.id === id && state.misbehaviour.lookupAnswersOther === true) return send(res, 404, { message: 'not found' });
      return send(res, 200, wire(answer));
    }
    send(res, 404, { message: 'no such route' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get sessions() {
      return state.sessions;
    },
    set sessions(value: HostileSession[]) {
      state.sessions = value;
    },
    get misbehaviour() {
      return state.misbehaviour;
    },
    set misbehaviour(value: Misbehaviour) {
      state.misbehaviour = value;
    },
    listed,
    stats,
    lastTotal: () => lastTotal,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
