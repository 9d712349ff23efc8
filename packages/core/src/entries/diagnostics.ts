// `@clickplan/core/diagnostics`: Diagnostics (errors are data) and the error codes documented in docs/errors/.
export type { Diagnostic, Range, Severity } from '../diagnostics.js';
export { ERROR_CODES, type ErrorCode } from '../errors.js';
