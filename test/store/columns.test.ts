/**
 * The session columns are defined once, in the drizzle schema: the row type the API layer produces,
 * the API record's fields and the statements the writer prepares must all agree with it.
 */
import { getTableColumns } from 'drizzle-orm';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { SessionRow } from '../../src/api/session.js';
import type { ApiSession } from '../../src/api/types.js';
import { sessions } from '../../src/store/schema.js';

/** The columns the API feeds: every column but the sync's own bookkeeping. */
type Fed = Omit<typeof sessions.$inferSelect, 'firstSyncedAt' | 'lastSyncedAt' | 'deletedAt'>;

describe('the session columns', () => {
  it('SessionRow is exactly the schema columns the API feeds, with their types', () => {
    expectTypeOf<SessionRow>().toEqualTypeOf<Fed>();
  });

  it('every fed column is a field of the API record, under the same name', () => {
    expectTypeOf<keyof Fed>().toExtend<keyof ApiSession>();
  });

  it("are in the contract's order", () => {
    expect(Object.values(getTableColumns(sessions)).map((column) => column.name)).toEqual([
      'id', 'persona_id', 'client_label', 'start_time', 'end_time', 'session_length_ms', 'exit_status', 'engine_host',
      'engine_protocol', 'engine_version', 'client_metadata', 'persona_config', 'api_key_id', 'organization_id',
      'created_at', 'updated_at', 'first_synced_at', 'last_synced_at', 'deleted_at',
    ]);
  });
});
