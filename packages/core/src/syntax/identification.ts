import type { Identification, Literal, QueryParameter } from './ast.js';
import { isStringToken, parseString, parseStringOrParameter } from './literals.js';
import type { Parser } from './parser.js';

/** What follows each `IDENTIFIED WITH` method keyword; `hash` methods take a hash instead of a password. */
type MethodShape = 'none' | 'password' | 'hash' | 'salted-hash' | 'ldap' | 'kerberos' | 'ssl' | 'ssh' | 'http' | 'jwt';

/** ClickHouse's `AuthenticationType` keywords and the `..._hash` forms, upper-cased. */
const METHODS: Record<string, MethodShape> = {
  NO_PASSWORD: 'none',
  PLAINTEXT_PASSWORD: 'password',
  SHA256_PASSWORD: 'password',
  DOUBLE_SHA1_PASSWORD: 'password',
  LDAP: 'ldap',
  KERBEROS: 'kerberos',
  SSL_CERTIFICATE: 'ssl',
  BCRYPT_PASSWORD: 'password',
  SSH_KEY: 'ssh',
  HTTP: 'http',
  JWT: 'jwt',
  SCRAM_SHA256_PASSWORD: 'password',
  NO_AUTHENTICATION: 'none',
  SHA256_HASH: 'salted-hash',
  SCRAM_SHA256_HASH: 'salted-hash',
  DOUBLE_SHA1_HASH: 'hash',
  BCRYPT_HASH: 'hash',
};

const HASH_SHAPES: ReadonlySet<MethodShape> = new Set(['hash', 'salted-hash']);

export interface IdentificationOptions {
  /** `no_password` is a method here (not after `ALTER USER ... ADD IDENTIFIED`). */
  noPassword: boolean;
}

/**
 * `NOT IDENTIFIED [VALID UNTIL 'd']` or `IDENTIFIED [WITH method] BY 'secret' [VALID UNTIL 'd'] [, method ...]`,
 * at NOT or IDENTIFIED. Every string that holds a password, a hash or a salt goes to `secrets`.
 */
export function parseIdentification(p: Parser, options: IdentificationOptions): Identification {
  const start = p.tokenStart;
  const identification: Identification = { kind: 'Identification', secrets: [], start, end: start };
  if (p.acceptWords('NOT', 'IDENTIFIED')) {
    identification.method = 'no_password';
    parseValidUntil(p);
  } else {
    p.expectWord('IDENTIFIED');
    const explicit = p.acceptWord('WITH');
    const method = parseMethod(p, identification, { ...options, typeRequired: explicit, typeAllowed: explicit });
    if (method) identification.method = method;
    // ClickHouse reads on after a comma only if another method follows; a comma before anything else is an error there.
    while (p.accept('Comma')) parseMethod(p, identification, { ...options, typeRequired: false, typeAllowed: true });
  }
  identification.end = p.lastEnd;
  return identification;
}

/** `VALID UNTIL 'date'` when present. */
export function parseValidUntil(p: Parser): boolean {
  if (!p.acceptWords('VALID', 'UNTIL')) return false;
  parseStringOrParameter(p, 'a date string');
  return true;
}

interface MethodOptions extends IdentificationOptions {
  typeRequired: boolean;
  typeAllowed: boolean;
}

/**
 * One method: `[method] BY 'x'`, `ldap SERVER 's'`, `ssh_key BY KEY 'k' TYPE 't'`..., then `[VALID UNTIL 'd']`.
 * Returns the method keyword in lower case, or undefined for the server's default password method.
 */
function parseMethod(p: Parser, identification: Identification, options: MethodOptions): string | undefined {
  const start = p.tokenStart;
  const word = p.word();
  let shape = METHODS[word];
  if (shape === undefined || (word === 'NO_PASSWORD' && !options.noPassword)) {
    if (options.typeRequired) return p.fail('Expected an authentication method such as `sha256_password`, `ldap` or `no_password`');
    shape = 'password';
  } else {
    // `IDENTIFIED sha256_password BY 'x'` needs WITH; ClickHouse lets the `..._hash` forms through without it.
    if (!options.typeAllowed && !HASH_SHAPES.has(shape)) {
      return p.fail('Expected `WITH` before the authentication method', 'Write `IDENTIFIED WITH method BY ...`.');
    }
    if (shape === 'jwt') return p.fail('Expected an authentication method other than `jwt`', 'ClickHouse does not create users with JWT authentication.');
    p.next();
  }
  const explicitMethod = p.lastEnd > start;
  parseMethodArguments(p, identification, shape);
  parseValidUntil(p);
  return explicitMethod ? word.toLowerCase() : undefined;
}

function parseMethodArguments(p: Parser, identification: Identification, shape: MethodShape): void {
  switch (shape) {
    case 'password':
    case 'hash':
    case 'salted-hash':
      p.expectWord('BY');
      addSecret(identification, parseStringOrParameter(p, shape === 'password' ? 'a password string' : 'a hash string'));
      if (shape === 'salted-hash' && p.acceptWord('SALT')) addSecret(identification, parseStringOrParameter(p, 'a salt string'));
      return;
    case 'ldap':
      p.expectWord('SERVER');
      parseStringOrParameter(p, 'an LDAP server name');
      return;
    case 'kerberos':
      if (p.acceptWord('REALM')) parseStringOrParameter(p, 'a realm string');
      return;
    case 'ssl':
      if (!p.acceptWord('CN') && !p.acceptWord('SAN')) p.fail('Expected `CN` or `SAN`');
      do parseStringOrParameter(p, 'a certificate subject string');
      while (p.at('Comma') && (isStringToken(p, 1) || p.at('LBrace', 1)) && p.accept('Comma'));
      return;
    case 'ssh':
      p.expectWord('BY');
      do parseSshKey(p);
      while (p.at('Comma') && p.atWord('KEY', 1) && p.accept('Comma'));
      return;
    case 'http':
      p.expectWord('SERVER');
      parseStringOrParameter(p, 'an HTTP authentication server name');
      if (p.acceptWord('SCHEME')) parseStringOrParameter(p, 'a scheme string');
      return;
  }
}

/** `KEY 'base64' TYPE 'ssh-ed25519'`: ClickHouse's `ParserPublicSSHKey`. */
function parseSshKey(p: Parser): void {
  p.expectWord('KEY');
  if (isStringToken(p)) parseString(p);
  else p.identifier('a public key');
  p.expectWord('TYPE');
  if (isStringToken(p)) parseString(p);
  else p.identifier('a key type such as `ssh-ed25519`');
}

function addSecret(identification: Identification, value: Literal | QueryParameter): void {
  // A query parameter is the fix for a secret in a file, not a secret itself.
  if (value.kind === 'Literal') identification.secrets.push(value);
}

const HOST_LIST_WORDS = new Set(['REGEXP', 'NAME', 'IP', 'LIKE']);

/** `ANY | LOCAL | NONE | IP|NAME|REGEXP|LIKE 'pattern', ... [, ...]`, after HOST. */
export function parseHostList(p: Parser): void {
  do {
    const word = p.word();
    if (word === 'ANY' || word === 'LOCAL' || word === 'NONE') p.next();
    else if (HOST_LIST_WORDS.has(word)) {
      p.next();
      do parseString(p, `a host ${word === 'IP' ? 'address' : 'pattern'} string`);
      while (p.at('Comma') && isStringToken(p, 1) && p.accept('Comma'));
    } else p.fail('Expected ANY, LOCAL, NONE, IP, NAME, REGEXP or LIKE after HOST');
  } while (p.accept('Comma'));
}
