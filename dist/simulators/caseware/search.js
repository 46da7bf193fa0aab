// Longest first, so that `<>` is not read as `<` followed by a value starting with `>`.
const OPS = ['<>', '=', '<', '>'];
/** Parses every `search` term against `schema`; no terms matches everything. */
export function compileSearch(terms, schema) {
    const byField = new Map();
    for (const text of terms) {
        const parsed = parseTerm(text, schema);
        if (parsed.kind === 'invalid')
            return parsed;
        const { field } = parsed.term;
        byField.set(field, [...(byField.get(field) ?? []), parsed.term]);
    }
    const groups = [...byField.entries()];
    return {
        kind: 'ok',
        filter: (record) => {
            const values = record;
            return groups.every(([field, group]) => group.some((term) => matches(values[field], term)));
        },
    };
}
export function parseTerm(text, schema) {
    const invalid = (why) => ({ kind: 'invalid', message: `Invalid search '${text}': ${why}` });
    const fieldMatch = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*/.exec(text);
    if (!fieldMatch?.[1])
        return invalid('expected <Field><op><value>');
    const field = fieldMatch[1];
    if (field.includes('.'))
        return invalid('only top-level fields can be searched');
    if (!Object.hasOwn(schema, field)) {
        return invalid(`unknown field ${field}; expected one of ${Object.keys(schema).join(', ')}`);
    }
    const kind = schema[field];
    let rest = text.slice(fieldMatch[0].length);
    const op = OPS.find((candidate) => rest.startsWith(candidate));
    if (!op)
        return invalid('expected one of the operators =, <, >, <>');
    rest = rest.slice(op.length).trim();
    const literal = parseLiteral(rest);
    if (literal.kind === 'invalid')
        return invalid(literal.message);
    const { value } = literal;
    const wanted = kind === 'number' ? 'number' : kind === 'boolean' ? 'boolean' : 'string';
    if (typeof value !== wanted) {
        const how = wanted === 'string' ? 'a value in single quotes' : `a bare ${wanted}`;
        return invalid(`${field} needs ${how}`);
    }
    if ((kind === 'boolean' || kind === 'string-list') && (op === '<' || op === '>')) {
        return invalid(`${field} can only be compared with = or <>`);
    }
    return { kind: 'ok', term: { field, op, value } };
}
function parseLiteral(text) {
    if (text.startsWith("'")) {
        let out = '';
        for (let i = 1; i < text.length; i += 1) {
            const char = text[i];
            if (char !== "'") {
                out += char;
                continue;
            }
            if (text[i + 1] === "'") {
                out += "'";
                i += 1;
                continue;
            }
            if (i !== text.length - 1)
                return { kind: 'invalid', message: 'unexpected text after the closing quote' };
            return { kind: 'ok', value: out };
        }
        return { kind: 'invalid', message: 'unterminated string (a quote inside a string is written twice)' };
    }
    if (/^(true|false)$/i.test(text))
        return { kind: 'ok', value: text.toLowerCase() === 'true' };
    if (/^-?\d+(\.\d+)?$/.test(text))
        return { kind: 'ok', value: Number(text) };
    if (text === '')
        return { kind: 'invalid', message: 'missing value' };
    return { kind: 'invalid', message: 'expected a quoted string, a number or true/false' };
}
function matches(actual, term) {
    if (Array.isArray(actual)) {
        const wanted = fold(term.value);
        const found = actual.some((item) => fold(item) === wanted);
        return term.op === '=' ? found : !found;
    }
    // A null field is "not equal" to every value and neither less nor greater than any.
    if (actual === null || actual === undefined)
        return term.op === '<>';
    const a = fold(actual);
    const b = fold(term.value);
    switch (term.op) {
        case '=':
            return a === b;
        case '<>':
            return a !== b;
        case '<':
            return a < b;
        case '>':
            return a > b;
    }
}
/**
 * Text compares case-insensitively, as a SQL Server default collation behind a .NET API would; ordering is by
 * code unit, which keeps ISO dates (`CreatedDate>'2026-01-01'`) in time order.
 */
function fold(value) {
    if (typeof value === 'string')
        return value.toLowerCase();
    if (typeof value === 'number' || typeof value === 'boolean')
        return value;
    return String(value);
}
//# sourceMappingURL=search.js.map