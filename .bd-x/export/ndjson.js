/** An SQL expression (over the `sessions` columns) giving one NDJSON line, LF included. */
export function ndjsonLineSql(columns) {
    // A column's text is a JSON string here even when it holds JSON: only values made by SQLite's JSON
    // functions are embedded as JSON, and plain column values never are.
    // `session_length_ms` has INTEGER affinity and sync writes only safe integers, so it is a JSON integer.
    const pairs = columns.map((c) => `'${c.name}', ${c.name}`);
    return `json_object(${pairs.join(', ')}) || char(10)`;
}
//# sourceMappingURL=ndjson.js.map