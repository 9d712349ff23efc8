import type { Identifier } from './ast.js';
import { isStringToken, parseString } from './literals.js';
import type { Parser } from './parser.js';

/** A name written as an identifier or a string literal (`'name'`): access entities accept both. */
export function parseNameOrString(p: Parser, what: string): Identifier {
  if (!isStringToken(p)) return p.identifier(what);
  const literal = parseString(p, what);
  return { kind: 'Identifier', name: literal.value, quoted: true, start: literal.start, end: literal.end };
}

/** `name, 'name', ...`. */
export function parseNameList(p: Parser, what: string): Identifier[] {
  const names: Identifier[] = [];
  do names.push(parseNameOrString(p, what));
  while (p.accept('Comma'));
  return names;
}

/**
 * A user or role name with an optional host pattern: `john`, `'john'`, `john@'10.%'`. The name is
 * `john@10.%`, as ClickHouse stores it; the host `%` means any host and is dropped, as ClickHouse does.
 * ClickHouse takes `@host` only after an identifier: `'john'@'host'` is a syntax error.
 */
export function parseUserName(p: Parser, what = 'a user name'): Identifier {
  const base = parseNameOrString(p, what);
  if (!p.at('At') || isStringToken(p, -1)) return base;
  p.next();
  const host = parseNameOrString(p, 'a host pattern');
  const name = host.name.trim() === '%' ? base.name : `${base.name}@${host.name}`;
  return { kind: 'Identifier', name, quoted: true, start: base.start, end: host.end };
}

export function parseUserNameList(p: Parser, what = 'a user name'): Identifier[] {
  const names: Identifier[] = [];
  do names.push(parseUserName(p, what));
  while (p.accept('Comma'));
  return names;
}

/** `CURRENT_USER`, `currentUser` or either with `()`, when present; named `CURRENT_USER`. */
export function acceptCurrentUser(p: Parser): Identifier | undefined {
  const word = p.word();
  if (word !== 'CURRENT_USER' && word !== 'CURRENTUSER') return undefined;
  const start = p.startAt(p.next());
  if (p.at('LParen') && p.at('RParen', 1)) p.index += 2;
  return { kind: 'Identifier', name: 'CURRENT_USER', quoted: false, start, end: p.lastEnd };
}

/** Roles and users as ClickHouse's `ParserRolesOrUsersSet` reads them: names, keywords, `EXCEPT` names. */
export interface RoleSet {
  /** Names, and the keywords `ALL`, `ANY`, `CURRENT_USER` where allowed (upper-cased). `NONE` adds nothing. */
  names: Identifier[];
  except: Identifier[];
}

export interface RoleSetOptions {
  /** `ALL` is a keyword (`DEFAULT ROLE ALL`, `TO ALL`); elsewhere it names a role. */
  allowAll?: boolean;
  /** `ANY` is a keyword (`GRANTEES ANY`). */
  allowAny?: boolean;
  allowCurrentUser?: boolean;
}

/** `element, ... [EXCEPT element, ...]` where an element is `NONE`, a keyword or a user/role name. */
export function parseRoleSet(p: Parser, options: RoleSetOptions): RoleSet {
  const set: RoleSet = { names: [], except: [] };
  do parseRoleSetElement(p, set.names, options);
  while (p.accept('Comma'));
  if (p.acceptWord('EXCEPT')) {
    do parseRoleSetElement(p, set.except, { allowCurrentUser: options.allowCurrentUser });
    while (p.accept('Comma'));
  }
  return set;
}

function parseRoleSetElement(p: Parser, into: Identifier[], options: RoleSetOptions): void {
  const word = p.word();
  if (word === 'NONE') {
    p.next();
    return;
  }
  if ((options.allowAll && word === 'ALL') || (options.allowAny && word === 'ANY')) {
    const at = p.next();
    into.push({ kind: 'Identifier', name: word, quoted: false, start: p.startAt(at), end: p.endAt(at) });
    return;
  }
  const currentUser = options.allowCurrentUser ? acceptCurrentUser(p) : undefined;
  into.push(currentUser ?? parseUserName(p, 'a user or role name'));
}
