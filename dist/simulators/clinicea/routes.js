/**
 * Every route the Clinicea simulator answers below `/api/v1`. Lead writes are our addition so that tests and
 * demos can change data through HTTP and see it in a sync.
 */
import { CLINICEA_TOKEN_PATH } from "../../vendors/clinicea/wire.js";
import { SimRouter } from "../http.js";
import { error, json, leadNotFound } from "./answers.js";
import { CliniceaValidationError, validateWrite } from "./lead-validation.js";
import { listLeads } from "./lists.js";
export function cliniceaRouter(store, paging, 
/** Token mode only: the login route exists; in header mode it is a 404, as in the documented version. */
tokens) {
    const router = new SimRouter();
    if (tokens)
        router.on('GET', CLINICEA_TOKEN_PATH, (req) => tokens.login(req));
    return router
        .on('GET', 'leads', (req) => listLeads(req, store, paging))
        .on('GET', 'leads/:id', (req) => {
        const lead = store.leads.get(req.params.id ?? '');
        return lead ? json(200, { ...lead }) : leadNotFound();
    })
        .on('POST', 'leads', (req) => write(req, (body) => json(200, store.create(validateWrite(body, 'create')))))
        .on('PUT', 'leads/:id', (req) => write(req, (body) => {
        const lead = store.update(req.params.id ?? '', validateWrite(body, 'update'));
        return lead ? json(200, lead) : leadNotFound();
    }))
        .on('DELETE', 'leads/:id', (req) => (store.remove(req.params.id ?? '') ? { status: 204 } : leadNotFound()));
}
function write(req, handle) {
    let body;
    try {
        body = JSON.parse(req.rawBody.toString('utf8'));
    }
    catch {
        return json(400, error('The request body must be a JSON object.'));
    }
    try {
        return handle(body);
    }
    catch (caught) {
        if (caught instanceof CliniceaValidationError)
            return json(400, error(caught.message));
        throw caught;
    }
}
//# sourceMappingURL=routes.js.map