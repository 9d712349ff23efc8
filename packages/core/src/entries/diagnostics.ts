// `@clickplan/core/diagnostics`: Diagnostics (errors are data), the error codes documented in docs/errors/, and the links to their pages.
export type { Diagnostic, Range, Severity } from '../diagnostics.js';
export { DOCS_BASE_URL, docsPageUrl } from '../docs.js';
export { ERROR_CODES, type ErrorCode } from '../errors.js';
export { docsLink } from '../rules/docsLink.js';
