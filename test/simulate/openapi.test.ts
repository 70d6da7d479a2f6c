/**
 * The simulator is not the API: both are checked against Anam's published OpenAPI text
 * (spec/anam-list-sessions.openapi.yaml) with a real JSON Schema validator (Ajv, draft 2020-12, the
 * dialect of OpenAPI 3.1). A checking server sits between the CLI and the simulator: every request
 * the client makes must fit the spec's parameters, every list response the simulator gives must fit
 * its response schema.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { syncJson, tempDirs } from '../helpers.js';

interface Parameter {
  in: string;
  name: string;
  schema: Record<string, unknown>;
}

const spec = parse(readFileSync(new URL('../../spec/anam-list-sessions.openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, { get: { parameters: Parameter[] } }>;
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
ajv.addSchema({ ...spec, $id: 'anam.json' });
const listResponse = ajv.getSchema('anam.json#/paths/~1v1~1sessions/get/responses/200/content/application~1json/schema')!;
const session = ajv.getSchema('anam.json#/components/schemas/Session')!;
const parameters = spec.paths['/v1/sessions']!.get.parameters;

/** The spec's verdict on a query string: one message per parameter that does not fit, or an unknown one. */
function queryProblems(query: URLSearchParams): string[] {
  const problems: string[] = [];
  for (const [name, raw] of query) {
    const parameter = parameters.find((p) => p.in === 'query' && p.name === name);
    if (parameter === undefined) {
      problems.push(`unknown query parameter ${name}`);
      continue;
    }
    const value = parameter.schema.type === 'integer' ? (/^-?\d+$/.test(raw) ? Number(raw) : raw) : raw;
    const validate = ajv.compile(parameter.schema);
    if (!validate(value)) problems.push(`${name}=${raw}: ${ajv.errorsText(validate.errors)}`);
  }
  return problems;
}

const dirs = tempDirs();
let sim: Simulator;
let checker: Server;
let checkerUrl: string;
const problems: string[] = [];
const seen = { lists: 0, gets: 0 };

beforeAll(async () => {
  sim = await startSimulator({ sessions: 700, seed: 41 });
  checker = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://checker');
    const upstream = await fetch(`${sim.url}${url.pathname}${url.search}`, { headers: { authorization: req.headers.authorization ?? '' } });
    const text = await upstream.text();
    if (url.pathname === '/v1/sessions') {
      seen.lists++;
      problems.push(...queryProblems(url.searchParams));
      if (upstream.status === 200 && !listResponse(JSON.parse(text))) problems.push(`list response: ${ajv.errorsText(listResponse.errors)}`);
    } else if (/^\/v1\/sessions\/[^/]+$/.test(url.pathname)) {
      seen.gets++;
      const id = decodeURIComponent(url.pathname.split('/').pop()!);
      if (!ajv.validate({ type: 'string', format: 'uuid' }, id)) problems.push(`lookup of a non-uuid id ${id}`);
      if (upstream.status === 200 && !session(JSON.parse(text))) problems.push(`session: ${ajv.errorsText(session.errors)}`);
    } else {
      problems.push(`a path the spec does not have: ${url.pathname}`);
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  });
  await new Promise<void>((resolve) => checker.listen(0, '127.0.0.1', resolve));
  checkerUrl = `http://127.0.0.1:${(checker.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => checker.close(() => resolve()));
  await sim.close();
  dirs.cleanup();
});

describe('against the published OpenAPI', () => {
  it('the validator has teeth: it refuses a record and a query the spec rules out', () => {
    expect(session({ id: 'not-a-uuid', sessionLengthMs: '754000', clientMetadata: [] })).toBe(false);
    expect(listResponse({ data: [{ id: '00000000-0000-0000-0000-000000000000' }], meta: { total: '1' } })).toBe(false);
    expect(queryProblems(new URLSearchParams({ page: '0', perPage: '101', apiKeyId: 'x', sort: 'desc' }))).toHaveLength(4);
  });

  it('the simulator answers, and the client asks, only what the spec allows, through full, incremental and filtered syncs', async () => {
    const db = join(dirs.make(), 'spec.db');
    const env = { ANAM_API_KEY: 'demo' };
    const persona = sim.store.all().find((s) => s.personaId !== null)!.personaId!;
    const apiKeyId = sim.store.all().find((s) => s.apiKeyId !== null)!.apiKeyId!;
    for (const args of [['--full'], [], ['--per-page', '7'], ['--persona-id', persona], ['--api-key-id', apiKeyId], ['--search', 'kiosk']]) {
      const { result } = await syncJson(['--api-url', checkerUrl, '--db', db, ...args], { env });
      expect(result.code, result.stderr).toBe(0);
    }
    // Lookups happen too: sessions that ended upstream since they were stored open.
    for (const s of sim.store.all().filter((s) => s.endTime === null).slice(0, 5)) sim.store.end(s.id);
    expect((await syncJson(['--api-url', checkerUrl, '--db', db, '--per-page', '1'], { env })).result.code).toBe(0);
    expect(seen.lists).toBeGreaterThan(10);
    expect(seen.gets).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
