/**
 * The shape of one upstream call, before and after it is turned into bytes. Vendors describe calls as
 * `UpstreamRequest`; their `authorize` hook sees the `OutgoingRequest` about to be sent.
 */
export function toPairs(params) {
    const pairs = [];
    for (const [key, value] of Object.entries(params ?? {})) {
        if (value === null || value === undefined)
            continue;
        const values = Array.isArray(value) ? value : [value];
        for (const v of values)
            pairs.push([key, String(v)]);
    }
    return pairs;
}
export function buildOutgoing(baseUrl, req) {
    const path = req.path.replace(/^\/+/, '');
    const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    const queryPairs = toPairs(req.query);
    for (const [k, v] of queryPairs)
        url.searchParams.append(k, v);
    const headers = { accept: 'application/json', ...req.headers };
    let body;
    let params = queryPairs;
    if (req.form !== undefined) {
        params = toPairs(req.form);
        body = new URLSearchParams(params).toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    else if (req.json !== undefined) {
        body = JSON.stringify(req.json);
        headers['content-type'] = 'application/json';
    }
    else if (req.bytes !== undefined) {
        body = req.bytes.data;
        headers['content-type'] = req.bytes.contentType;
    }
    if (req.method !== 'GET' && req.form === undefined)
        params = [];
    return { method: req.method, url, path, params, headers, body };
}
//# sourceMappingURL=request.js.map