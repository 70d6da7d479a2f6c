/** The record terminator: RFC 4180's CRLF, which Excel, DuckDB and pandas all read. */
const CSV_EOL = '\r\n';
/** First characters a spreadsheet reads as a formula (ASCII and full-width forms, tab, CR). */
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];
/** The header row: the column names, comma-separated, with the record terminator. */
export function csvHeader(columns) {
    return `${columns.map((c) => quoteIfNeeded(c.name)).join(',')}${CSV_EOL}`;
}
/** An SQL expression (over the `sessions` columns) giving one CSV record, terminator included. */
export function csvLineSql(columns, options = {}) {
    const fields = columns.map((c) => (c.type === 'int64' ? integerField(c.name) : textField(c.name, options.excelSafe === true)));
    // concat_ws keeps every field because none is NULL: each expression turns NULL into ''.
    return `concat_ws(',', ${fields.join(', ')}) || ${sqlString(CSV_EOL)}`;
}
/**
 * A text value in double quotes with its double quotes doubled, or '' for NULL. The column is named
 * once (JSON values span overflow pages, and each mention reads them again). Not printf's `%w`,
 * which would be a little faster but stops at a NUL character inside the value.
 */
function textField(name, excelSafe) {
    return `coalesce('"' || replace(${excelSafe ? neutralised(name) : name}, '"', '""') || '"', '')`;
}
function neutralised(name) {
    const starts = FORMULA_STARTS.map(sqlString).join(', ');
    return `iif(substr(${name}, 1, 1) IN (${starts}), '''' || ${name}, ${name})`;
}
/** An integer bare; anything else SQLite might hold there (text) quoted like text; NULL as ''. */
function integerField(name) {
    return `iif(typeof(${name}) = 'text', '"' || replace(${name}, '"', '""') || '"', coalesce(${name}, ''))`;
}
/** A JavaScript string as an SQL string literal (control characters kept literally, which SQL allows). */
function sqlString(text) {
    return `'${text.replaceAll("'", "''")}'`;
}
function quoteIfNeeded(text) {
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
//# sourceMappingURL=csv.js.map