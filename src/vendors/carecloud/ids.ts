/**
 * CareCloud file names, which are also the files' ids (mapping.ts): one rule for every way a name arrives
 * (GraphQL `uploadFile`, `PUT /files/{name}`, either transport, a File id) and every way it leaves (an HTTPS
 * path segment, an SFTP path, a Content-Disposition filename).
 *
 * The vendor documents no rule (vendors.md: its file operations are not public), so this is ours: letters,
 * digits, dot, underscore, space and hyphen, starting with a letter or digit, at most 200 characters. That
 * leaves out `.` and `..` (URL resolution would collapse them into another resource), `/` and `\` (another
 * path segment, on HTTPS or SFTP), `?`, `#` and `%` (a query, a fragment, an escape), control characters and
 * NUL (header and log injection, truncation in C-based servers), and a leading dot (SFTP's temporary files
 * are dot-named, sftp.ts).
 */
export const FILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/;

/** What a client is told when a name breaks the rule; it never repeats the name, which may hold anything. */
export const FILE_NAME_RULE =
  'a file name must be 1 to 200 letters, digits, dots, underscores, spaces or hyphens, starting with a letter or digit';

/** Why `name` cannot be a file name, or undefined when it can. */
export function fileNameProblem(name: string): string | undefined {
  return FILE_NAME_PATTERN.test(name) ? undefined : FILE_NAME_RULE;
}

/** The vendor id of each GraphQL type CareCloud serves, by type name. */
export const CARECLOUD_ID_SHAPES: Readonly<Record<string, RegExp>> = { File: FILE_NAME_PATTERN };
