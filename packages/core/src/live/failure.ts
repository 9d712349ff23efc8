import { maskSql, redactSecrets, secretValues } from '../syntax/secrets.js';
import { TargetError, type TargetErrorCode } from './types.js';

/** A target failure as data, so every code appears once as a literal where it is raised. */
export interface TargetFailure {
  code: TargetErrorCode;
  message: string;
  help?: string;
  /** The server's error code (`Code: 60`), when the server gave one. */
  serverCode?: number;
  /** The server's own message, when the server gave one. */
  serverMessage?: string;
}

export function targetError(failure: TargetFailure): TargetError {
  return new TargetError(failure.message, failure.serverCode, failure.code, failure.help, failure.serverMessage);
}

/**
 * Removes every secret (and its URL-encoded form) from a text. A last line of defence: messages are
 * built without passwords, but a server or a library may echo a URL or a header back.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) text = text.split(form).join('***');
  }
  return text;
}

/**
 * A server's error about a statement, with the statement's secrets hidden: a syntax error quotes
 * the statement as written, with the passwords in it.
 */
export function redactStatementSecrets(text: string, sql: string): string {
  return redactSecrets(text, secretValues(sql));
}

/**
 * The server's error code and the sentence of a ClickHouse error text: `Code: 60. DB::Exception: ...`
 * (current servers) or `Code: 60, e.displayText() = DB::Exception: ..., e.what() = DB::Exception` (18.x).
 */
export function parseServerError(text: string): { serverCode?: number; message: string } {
  const match = /Code: (\d+)[.,]\s*(?:e\.displayText\(\) = )?(?:DB::Exception: )?([\s\S]*)/.exec(text);
  if (!match) return { message: text.trim() };
  const message = match[2]
    .replace(/, e\.what\(\) = DB::Exception\s*$/, '')
    .replace(/\s*\(version [^)]*\)\s*$/, '')
    .replace(/\s*\([A-Z0-9_]{3,}\)\s*$/, '')
    .trim();
  return { serverCode: Number(match[1]), message };
}

/** A statement shortened to one line for a message, its secrets shown as ClickHouse shows them. */
export function oneLine(sql: string): string {
  const flat = shownStatement(sql);
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/** A statement on one line with its secrets shown as ClickHouse shows them (`'[HIDDEN]'`): for messages and the registry. */
export function shownStatement(sql: string): string {
  return maskSql(sql).replace(/\s+/g, ' ').trim();
}
