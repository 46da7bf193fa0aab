/** What a stored file is served as: the content-type allowlist and the attachment header. */
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, servedContentType } from '../../src/server/served-content.ts';

describe('servedContentType', () => {
  it.each([
    ['application/pdf', 'application/pdf'],
    ['image/png', 'image/png'],
    ['image/jpeg', 'image/jpeg'],
    ['image/gif', 'image/gif'],
    ['image/webp', 'image/webp'],
    ['text/plain', 'text/plain'],
    ['text/csv', 'text/csv'],
    ['application/msword', 'application/msword'],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['application/vnd.ms-excel', 'application/vnd.ms-excel'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['application/vnd.ms-powerpoint', 'application/vnd.ms-powerpoint'],
    ['application/vnd.openxmlformats-officedocument.presentationml.presentation', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.text'],
    ['application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.spreadsheet'],
    ['application/vnd.oasis.opendocument.presentation', 'application/vnd.oasis.opendocument.presentation'],
    ['application/zip', 'application/zip'],
    [' Image/PNG ; foo=bar', 'image/png'],
    ['application/pdf; charset=utf-8', 'application/pdf'],
    ['text/plain; charset=UTF-8', 'text/plain; charset=utf-8'],
    ['text/csv;charset="ISO-8859-1"', 'text/csv; charset=iso-8859-1'],
    ['text/plain; charset=utf-8<script>', 'text/plain'],
    ['text/plain; charset=a\r\nSet-Cookie: x=y', 'text/plain'],
    ['text/html', 'application/octet-stream'],
    ['text/html; charset=utf-8', 'application/octet-stream'],
    ['application/xhtml+xml', 'application/octet-stream'],
    ['image/svg+xml', 'application/octet-stream'],
    ['text/xml', 'application/octet-stream'],
    ['application/xml', 'application/octet-stream'],
    ['text/javascript', 'application/octet-stream'],
    ['application/javascript', 'application/octet-stream'],
    ['multipart/x-mixed-replace', 'application/octet-stream'],
    ['text/plain, text/html', 'application/octet-stream'],
    ['', 'application/octet-stream'],
    [undefined, 'application/octet-stream'],
  ])('%j goes out as %j', (declared, served) => {
    expect(servedContentType(declared)).toBe(served);
  });
});

describe('attachmentDisposition', () => {
  it.each([
    ['report.pdf', `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`],
    ['care plan 2026.pdf', `attachment; filename="care plan 2026.pdf"; filename*=UTF-8''care%20plan%202026.pdf`],
    ['Zoë "x".pdf', `attachment; filename="Zo_ _x_.pdf"; filename*=UTF-8''Zo%C3%AB%20%22x%22.pdf`],
    ["it's (1)*.txt", `attachment; filename="it_s _1__.txt"; filename*=UTF-8''it%27s%20%281%29%2A.txt`],
    ['a\r\nSet-Cookie: x.txt', `attachment; filename="a__Set-Cookie_ x.txt"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x.txt`],
    ['..', `attachment; filename="download"; filename*=UTF-8''..`],
  ])('%j -> %s', (name, header) => {
    expect(attachmentDisposition(name)).toBe(header);
  });
});
