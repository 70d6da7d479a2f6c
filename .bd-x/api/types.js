/**
 * The shapes of the Anam API as published (`GET /v1/sessions`, `GET /v1/sessions/{id}`).
 * Field names follow the OpenAPI text; every value is as it arrives on the wire, before validation.
 */
export {};
//# sourceMappingURL=types.js.map