/** Every route the CareHQ simulator answers below `/v1`: care enquiries (read and write) and users (read). */
import { SimRouter } from "../http.js";
import { notFound } from "./answers.js";
import { createEnquiry, patchEnquiry } from "./enquiry-writes.js";
import { ENQUIRY_LIST, USER_LIST, getHandler, listHandler } from "./lists.js";
export function careHqRouter(store, clock, nextId) {
    return new SimRouter()
        .on('GET', 'care-enquiries', listHandler(store.enquiries, ENQUIRY_LIST))
        .on('PUT', 'care-enquiries', (req) => createEnquiry(req, store, clock, nextId))
        .on('GET', 'care-enquiries/:id', getHandler(store.enquiries, ENQUIRY_LIST))
        .on('PATCH', 'care-enquiries/:id', (req) => patchEnquiry(req, store, clock))
        .on('DELETE', 'care-enquiries/:id', (req) => {
        const id = req.params.id ?? '';
        if (!store.enquiries.delete(id))
            return notFound(`No care enquiry with _id "${id}".`);
        // The SDKs parse JSON on every answer, so a delete still sends a body.
        return { status: 200, body: {} };
    })
        .on('GET', 'users', listHandler(store.users, USER_LIST))
        .on('GET', 'users/:id', getHandler(store.users, USER_LIST));
}
//# sourceMappingURL=routes.js.map