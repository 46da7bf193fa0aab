import { error, notFound, page } from "./answers.js";
const ENTITY_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export function registerAppDataRoutes(router, store, clock, newRecordId) {
    const table = (entity) => {
        let rows = store.appdata.get(entity);
        if (!rows) {
            rows = new Map();
            store.appdata.set(entity, rows);
        }
        return rows;
    };
    const entityOf = (req) => {
        const entity = req.params.entity ?? '';
        return ENTITY_NAME.test(entity) ? entity : undefined;
    };
    router.on('POST', 'appdata/:entity/create', (req) => {
        const entity = entityOf(req);
        if (!entity)
            return error(400, 'Invalid entity name');
        const body = readJsonObject(req);
        if (!body)
            return error(400, 'Invalid request body: expected a JSON object');
        const data = body.Data;
        if (!isJsonObject(data))
            return error(400, 'Invalid request body: Data must be an object');
        if (body.Id !== undefined && (typeof body.Id !== 'string' || body.Id === '')) {
            return error(400, 'Invalid request body: Id must be a non-empty string');
        }
        const rows = table(entity);
        const id = body.Id ?? newRecordId();
        if (rows.has(id))
            return error(409, 'Record already exists');
        const now = new Date(clock()).toISOString();
        const record = { Id: id, Entity: entity, CreatedAt: now, ModifiedAt: now, Data: data };
        rows.set(id, record);
        return { status: 201, body: record };
    });
    router.on('PUT', 'appdata/:entity/update', (req) => {
        const entity = entityOf(req);
        if (!entity)
            return error(400, 'Invalid entity name');
        const body = readJsonObject(req);
        if (!body || typeof body.Id !== 'string' || !isJsonObject(body.Data)) {
            return error(400, 'Invalid request body: expected { Id, Data }');
        }
        const current = store.appdata.get(entity)?.get(body.Id);
        if (!current)
            return notFound();
        const record = {
            ...current,
            ModifiedAt: new Date(clock()).toISOString(),
            Data: { ...current.Data, ...body.Data },
        };
        table(entity).set(record.Id, record);
        return { status: 200, body: record };
    });
    router.on('GET', 'appdata/:entity/retrieve', (req) => {
        const entity = entityOf(req);
        if (!entity)
            return error(400, 'Invalid entity name');
        const rows = store.appdata.get(entity) ?? new Map();
        const id = req.query.get('Id');
        if (id !== null) {
            const record = rows.get(id);
            return record ? { status: 200, body: record } : notFound();
        }
        return page(req, [...rows.values()]);
    });
    router.on('DELETE', 'appdata/:entity/delete', (req) => {
        const entity = entityOf(req);
        if (!entity)
            return error(400, 'Invalid entity name');
        const id = req.query.get('Id');
        if (id === null)
            return error(400, 'Missing required query parameter Id');
        if (!store.appdata.get(entity)?.delete(id))
            return notFound();
        return { status: 204 };
    });
}
function readJsonObject(req) {
    try {
        const parsed = JSON.parse(req.rawBody.toString('utf8'));
        return isJsonObject(parsed) ? parsed : undefined;
    }
    catch {
        return undefined;
    }
}
/** Only ever given JSON.parse output, so a plain object's values are JSON too. */
function isJsonObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
//# sourceMappingURL=routes-appdata.js.map