/** Every route the Generic OAuth2 API simulator answers below `/api/v1`: token, users and webhooks. */
import { GENERIC_TOKEN_PATH } from "../../vendors/generic/wire.js";
import { SimRouter } from "../http.js";
import { fail, parseJson } from "./answers.js";
import { bulkCreateHandler } from "./bulk-create.js";
import { tokenHandler } from "./routes-token.js";
import { userReads } from "./routes-users.js";
export function genericRouter(settings, store, stats, webhooks, clientOf) {
    const issueToken = tokenHandler(settings, store, stats);
    const { listUsers, oneUser } = userReads(store);
    const bulkCreate = bulkCreateHandler({ settings, store, stats, webhooks, clientOf });
    return new SimRouter()
        .on('POST', GENERIC_TOKEN_PATH, issueToken)
        .on('GET', 'users/me', () => oneUser(store.serviceUserId))
        .on('GET', 'users', listUsers)
        .on('POST', 'users/bulk', bulkCreate)
        .on('GET', 'users/:id', (req) => oneUser(req.params.id ?? ''))
        .on('POST', 'webhooks', (req) => {
        const result = webhooks.register(parseJson(req.rawBody));
        return result.ok ? { status: 201, body: result.webhook } : { status: 400, body: { error: result.error } };
    })
        .on('GET', 'webhooks', () => {
        const data = webhooks.list();
        return {
            status: 200,
            body: { data, meta: { currentPage: 1, totalPages: 1, totalItems: data.length, itemsPerPage: data.length } },
        };
    })
        .on('DELETE', 'webhooks/:id', (req) => webhooks.remove(req.params.id ?? '')
        ? { status: 204 }
        : fail(404, 'NOT_FOUND', `no webhook with id ${req.params.id ?? ''}`));
}
//# sourceMappingURL=routes.js.map