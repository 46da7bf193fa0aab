/**
 * Creating and updating care enquiries: URL-encoded forms checked field by field against the wire type, with
 * the vendor's `arg_errors` for anything unknown or malformed.
 */
import { FUNDING_TYPES } from "../../vendors/carehq/wire.js";
import { readForm } from "../http.js";
import { errorResponse, invalid, notFound } from "./answers.js";
import { GENDERS } from "./seed.js";
import { header } from "./signature.js";
/** Everything a form may set. Exhaustive over the wire type, so a new field there fails to compile here. */
const ENQUIRY_FORM = {
    first_name: { kind: 'text' },
    last_name: { kind: 'text' },
    email: { kind: 'email' },
    mobile: { kind: 'text' },
    phone: { kind: 'text' },
    dob: { kind: 'date' },
    genders: { kind: 'list', choices: GENDERS },
    enquiring_for_self: { kind: 'boolean' },
    funding_type: { kind: 'choice', choices: FUNDING_TYPES },
    care_requirements: { kind: 'list' },
    dementia: { kind: 'boolean' },
    location: { kind: 'text' },
    service: { kind: 'text' },
    sales_channel: { kind: 'text' },
    assigned_to: { kind: 'user' },
    closing_notes: { kind: 'text' },
};
// The Python SDK sends str(True) / str(False); other clients send lower case or 1/0.
const TRUE_WORDS = new Set(['true', 'True', '1']);
const FALSE_WORDS = new Set(['false', 'False', '0']);
export function createEnquiry(req, store, clock, nextId) {
    const parsed = parseEnquiryForm(req, store);
    if ('status' in parsed)
        return parsed;
    if (parsed.kind === 'invalid')
        return invalid(parsed.argErrors);
    const fields = parsed.value;
    if (!nonEmpty(fields.first_name) && !nonEmpty(fields.last_name)) {
        return invalid({ first_name: ['A first name or a last name is required.'] });
    }
    const now = clock();
    const at = new Date(now).toISOString();
    const enquiry = {
        _id: nextId(now / 1000),
        created: at,
        modified: at,
        first_name: null,
        last_name: null,
        email: null,
        mobile: null,
        phone: null,
        dob: null,
        genders: [],
        enquiring_for_self: null,
        funding_type: null,
        care_requirements: [],
        dementia: null,
        location: null,
        service: null,
        sales_channel: null,
        assigned_to: null,
        closing_notes: null,
        anonymized: false,
        ...fields,
    };
    store.enquiries.set(enquiry._id, enquiry);
    return { status: 200, body: enquiry };
}
export function patchEnquiry(req, store, clock) {
    const id = req.params.id ?? '';
    const existing = store.enquiries.get(id);
    if (!existing)
        return notFound(`No care enquiry with _id "${id}".`);
    const parsed = parseEnquiryForm(req, store);
    if ('status' in parsed)
        return parsed;
    if (parsed.kind === 'invalid')
        return invalid(parsed.argErrors);
    const updated = { ...existing, ...parsed.value, modified: new Date(clock()).toISOString() };
    store.enquiries.set(id, updated);
    return { status: 200, body: updated };
}
/** A 400 answer as is when the body is not a form at all; otherwise the checked fields. */
function parseEnquiryForm(req, store) {
    const contentType = header(req.headers, 'content-type') ?? '';
    if (req.rawBody.length > 0 && !contentType.includes('application/x-www-form-urlencoded')) {
        return errorResponse(400, {
            error_type: 'invalid_request',
            hint: 'Request bodies must be URL-encoded forms (application/x-www-form-urlencoded).',
        });
    }
    const argErrors = {};
    const out = {};
    for (const [key, values] of readForm(req)) {
        const rule = Object.hasOwn(ENQUIRY_FORM, key) ? ENQUIRY_FORM[key] : undefined;
        if (!rule) {
            argErrors[key] = ['Unknown field.'];
            continue;
        }
        const checked = checkField(rule, values, store);
        if (checked.ok)
            out[key] = checked.value;
        else
            argErrors[key] = [checked.error];
    }
    if (Object.keys(argErrors).length > 0)
        return { kind: 'invalid', argErrors };
    // Every key was checked against ENQUIRY_FORM and each value against that field's rule.
    return { kind: 'ok', value: out };
}
/** A form cannot carry null, so an empty value clears a field (null, or [] for a list). */
function checkField(rule, values, store) {
    if (rule.kind === 'list') {
        const items = values.map((v) => v.trim()).filter(Boolean);
        const bad = rule.choices ? items.find((v) => !rule.choices?.includes(v)) : undefined;
        return bad === undefined ? { ok: true, value: [...new Set(items)] } : { ok: false, error: `"${bad}" is not a valid choice.` };
    }
    if (values.length !== 1)
        return { ok: false, error: 'Expected a single value.' };
    const value = (values[0] ?? '').trim();
    if (value === '')
        return { ok: true, value: null };
    switch (rule.kind) {
        case 'text':
            return { ok: true, value };
        case 'email':
            return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? { ok: true, value } : { ok: false, error: 'Not a valid email.' };
        case 'date':
            return isCalendarDate(value) ? { ok: true, value } : { ok: false, error: 'Not a valid date (YYYY-MM-DD).' };
        case 'boolean':
            if (TRUE_WORDS.has(value))
                return { ok: true, value: true };
            if (FALSE_WORDS.has(value))
                return { ok: true, value: false };
            return { ok: false, error: 'Not a valid boolean.' };
        case 'choice':
            return rule.choices.includes(value) ? { ok: true, value } : { ok: false, error: 'Not a valid choice.' };
        case 'user':
            return store.users.has(value) ? { ok: true, value } : { ok: false, error: 'Not a valid user.' };
    }
}
function isCalendarDate(value) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!match)
        return false;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
function nonEmpty(value) {
    return typeof value === 'string' && value !== '';
}
//# sourceMappingURL=enquiry-writes.js.map