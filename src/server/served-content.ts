/**
 * How file bytes go out to a browser. The gateway serves whatever was uploaded from its own origin, so a file
 * must never run as a page there: an HTML or SVG upload served as such could script the origin the GraphQL
 * endpoint and its keys live on. Hence: always an attachment, never sniffed, and a content type from a short
 * allowlist of inert document types (anything else goes out as application/octet-stream).
 */

/**
 * Compared on the bare, lower-cased media type. Never HTML, XHTML, SVG, XML or JavaScript: types a browser
 * would render or run.
 */
const SERVABLE_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/zip',
  // What Windows browsers send for a .zip.
  'application/x-zip-compressed',
]);

export const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

const CHARSET = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/**
 * The Content-Type a stored file is served with. Parameters are dropped, except a well-formed `charset` on a
 * text type: without it a client has to guess how to decode the text, and a token of this shape cannot carry
 * anything else into the header.
 */
export function servedContentType(declared: string | undefined): string {
  const [bare = '', ...parameters] = (declared ?? '').split(';');
  const type = bare.trim().toLowerCase();
  if (!SERVABLE_TYPES.has(type)) return FALLBACK_CONTENT_TYPE;
  if (!type.startsWith('text/')) return type;
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=').map((part) => part.trim());
    const charset = value.replace(/^"(.*)"$/, '$1');
    if (name.toLowerCase() === 'charset' && CHARSET.test(charset)) return `${type}; charset=${charset.toLowerCase()}`;
  }
  return type;
}

/**
 * `attachment` with the name twice: `filename` as plain ASCII with anything risky replaced (for old clients),
 * and `filename*` (RFC 6266/8187) percent-encoded, exact. File names are already restricted (carecloud/ids.ts);
 * this holds for any name, in case a stored one predates the rule.
 */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._ -]/g, '_').replace(/^[. ]+/, '') || 'download';
  // encodeURIComponent leaves ' ( ) * ! alone; RFC 8187's attr-char allows none of them but `!`.
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/** Every header a download goes out with, besides its length and checksum. */
export function downloadHeaders(name: string, declaredType: string | undefined): Record<string, string> {
  return {
    'content-type': servedContentType(declaredType),
    'content-disposition': attachmentDisposition(name),
    'x-content-type-options': 'nosniff',
    // Should a browser render it anyway, it runs nothing and reaches nothing.
    'content-security-policy': "default-src 'none'; sandbox",
    // Health and client records: no shared cache keeps a copy, and a signed URL is not replayed from one.
    'cache-control': 'private, no-store',
  };
}
