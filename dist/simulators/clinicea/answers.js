export function json(status, body, headers = {}) {
    // ASP.NET Web API names the charset; a client that checks the media type must not trip over it.
    return { status, body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}
export function error(Message) {
    return { Message };
}
export function leadNotFound() {
    return json(404, error('Lead not found'));
}
//# sourceMappingURL=answers.js.map