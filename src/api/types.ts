/**
 * The shapes of the Anam API as published (`GET /v1/sessions`, `GET /v1/sessions/{id}`).
 * Field names follow the OpenAPI text; every value is as it arrives on the wire, before validation.
 */

/** One session record exactly as the API sends it. Records may carry fields not listed here. */
export interface ApiSession {
  id: string;
  personaId: string | null;
  clientLabel: string | null;
  startTime: string;
  endTime: string | null;
  sessionLengthMs: number | null;
  exitStatus: string | null;
  engineHost: string | null;
  engineProtocol: string | null;
  engineVersion: string | null;
  clientMetadata: Record<string, unknown>;
  personaConfig: Record<string, unknown>;
  apiKeyId: string | null;
  organizationId: string;
  createdAt: string;
  updatedAt: string | null;
  [extra: string]: unknown;
}

/** The `meta` object of every list response. */
interface Pagination {
  total: number;
  lastPage: number;
  currentPage: number;
  perPage: number;
  prev: number | null;
  next: number | null;
}

/** The body of `GET /v1/sessions`. */
export interface SessionListResponse {
  data: ApiSession[];
  meta: Pagination;
}

/** Filters of `GET /v1/sessions`; each one narrows the list to a scope. */
export interface SessionFilters {
  personaId?: string;
  apiKeyId?: string;
  search?: string;
}
