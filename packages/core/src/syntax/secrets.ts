import { FORMATS } from '../semantics/functions.generated.js';
import { entriesOf } from '../semantics/lines.js';
import type { Expression, Literal, Statement } from './ast.js';
import { lexSql } from './lexer.js';
import { forEachDescendant } from './nodes.js';
import { parseSql } from './parser.js';
import { quoteString } from './printer/text.js';
import { unquote } from './unquote.js';
import { replaceNodes } from './walk.js';

// The secrets of a statement as ClickHouse hides them in SHOW CREATE, system.tables and its query
// log (src/Parsers/FunctionSecretArgumentsFinder.h): found on the syntax tree, so a quote doubled
// inside a password ('CAN''ARY') or a comment between the arguments changes nothing. Forms checked
// against chDB's stored form by secrets.test.ts.

/** What ClickHouse shows in place of a secret. */
export const HIDDEN = '[HIDDEN]';

/** A part of a statement that ClickHouse hides. */
export interface Secret {
  /** The nodes hidden, consecutive: usually one string literal (`encrypt` hides all its arguments after the mode). */
  nodes: Expression[];
  /** The string ClickHouse shows in their place: `[HIDDEN]`, or a URL with only its password hidden. */
  shown: string;
  /** The secret texts themselves, to find them where a server quotes the statement. */
  values: string[];
  /** The hidden source text, without its outer quotes. */
  written: string[];
  /** Where it is, for a message: `IDENTIFIED BY`, `dictionary source PASSWORD`, `argument 5 of MySQL`... */
  where: string;
}

/** Settings whose values ClickHouse hides (`kafka_sasl_password = '[HIDDEN]'`). */
const SECRET_SETTINGS = new Set(['kafka_sasl_password', 'rabbitmq_password', 'nats_password', 'nats_token', 'nats_credential_file']);

const FORMAT_NAMES = new Set(entriesOf(FORMATS).map(([name]) => name));

/** The secrets of a statement; `source` is the text its offsets point into (for statements kept as text). */
export function findSecrets(statement: Statement, source: string): Secret[] {
  const secrets: Secret[] = [];
  const add = (where: string, nodes: Expression[], shown = HIDDEN, values?: string[]) => {
    const unquoted = nodes.map((node) => (node.kind === 'Literal' && node.type === 'string' ? node.value : source.slice(node.start, node.end)));
    // As written (escapes, doubled quotes): what a server's error quotes.
    const written = source ? nodes.map((node) => source.slice(node.start + 1, node.end - 1)) : [];
    if (nodes.length > 0) secrets.push({ nodes, shown, values: (values ?? unquoted).filter((value) => value !== ''), written, where });
  };
  if (statement.kind === 'Invalid') {
    // No tree to read: every string is hidden.
    for (const literal of stringTokens(source, statement.start, statement.end)) add('a statement that does not parse', [literal]);
    return secrets;
  }
  const databaseEngine = statement.kind === 'CreateDatabase' ? statement.engine : undefined;
  const urls: Literal[] = [];
  forEachDescendant(statement, (node) => {
    switch (node.kind) {
      case 'Literal':
        if (node.type === 'string' && passwordOf(node.value)) urls.push(node);
        break;
      case 'Identification':
        for (const secret of node.secrets) add('IDENTIFIED BY', [secret]);
        break;
      // ClickHouse hides every value of a named collection, whatever its key.
      case 'CreateNamedCollection':
        for (const entry of node.entries) add(`named collection ${entry.key.name}`, [entry.value]);
        break;
      case 'AlterNamedCollection':
        for (const entry of node.set) add(`named collection ${entry.key.name}`, [entry.value]);
        break;
      case 'KeyValueArgument':
        if (/^password$/i.test(node.key.name) && node.value.kind !== 'KeyValueFunction') add('dictionary source PASSWORD', [node.value]);
        break;
      case 'SettingAssignment':
        if (node.value && SECRET_SETTINGS.has(node.name.name.toLowerCase())) add(`setting ${node.name.name}`, [node.value]);
        break;
      case 'FunctionCall':
        for (const found of functionSecrets(node.name.name, node.arguments, 'function'))
          add(`${found.what} of ${node.name.name}()`, found.nodes, found.shown, found.values);
        break;
      case 'Engine':
        for (const found of functionSecrets(node.name.name, node.arguments ?? [], node === databaseEngine ? 'database' : 'table'))
          add(`${found.what} of engine ${node.name.name}`, found.nodes, found.shown, found.values);
        break;
    }
    return undefined;
  });
  // A password in a URL is a secret wherever it is, also where ClickHouse would show it (a MongoDB
  // URI among five arguments, a string in a query): failing closed costs a [HIDDEN] too many.
  const covered = new Set<Expression>(secrets.flatMap((secret) => secret.nodes));
  for (const url of urls) if (!covered.has(url)) for (const found of urlPassword(url)) add('the URL password', found.nodes, found.shown, found.values);
  return secrets;
}

/** The statement with its secrets replaced by what ClickHouse shows: for printing, hashing and the registry. */
export function hideSecrets<T extends Statement>(statement: T, source = ''): T {
  const secrets = findSecrets(statement, source);
  if (secrets.length === 0) return statement;
  const replacements = new Map<object, unknown>();
  for (const secret of secrets) {
    const [first] = secret.nodes;
    replacements.set(first, { kind: 'Literal', type: 'string', value: secret.shown, start: first.start, end: first.end } satisfies Literal);
    for (const hiddenToo of secret.nodes.slice(1)) replacements.set(hiddenToo, undefined);
  }
  // `encrypt('mode', 'a', 'key')` shows as `encrypt('mode', '[HIDDEN]')`: the arguments replaced by nothing go.
  return replaceNodes(statement, replacements);
}

/**
 * The SQL text with every secret replaced, in place, by what ClickHouse shows (`'[HIDDEN]'`): the
 * rest (layout, comments) stays as written. For every text that shows a statement.
 */
export function maskSql(sql: string): string {
  const { statements } = parseSql(sql);
  const pieces: { start: number; end: number; text: string }[] = [];
  for (const statement of statements)
    for (const secret of findSecrets(statement, sql)) {
      const first = secret.nodes[0];
      const last = secret.nodes[secret.nodes.length - 1];
      if (first && last) pieces.push({ start: first.start, end: last.end, text: quoteString(secret.shown) });
    }
  pieces.sort((a, b) => a.start - b.start);
  let result = '';
  let position = 0;
  for (const piece of pieces) {
    if (piece.start < position) continue;
    result += sql.slice(position, piece.start) + piece.text;
    position = piece.end;
  }
  return result + sql.slice(position);
}

/** The secret texts of some SQL (as written and unescaped): what must not appear where a server quotes it. */
export function secretValues(sql: string): string[] {
  const values = new Set<string>();
  for (const statement of parseSql(sql).statements) {
    // A password in any URL too: a server's error may quote a URL that ClickHouse would not hide
    // in SHOW CREATE (`MongoDB('mongodb://u:pw@h', ...)` with too many arguments: "Illegal port ... //u:pw@h").
    forEachDescendant(statement, (node) => {
      const password = node.kind === 'Literal' ? passwordOf(node.value) : undefined;
      if (password) values.add(password);
      return undefined;
    });
    for (const secret of findSecrets(statement, sql)) {
      for (const written of secret.written) if (written !== '' && !written.includes(HIDDEN)) values.add(written);
      for (const value of secret.values) {
        if (value === HIDDEN) continue;
        values.add(value);
        // The server quotes the statement as written: escaped, or with the quote doubled.
        values.add(quoteString(value).slice(1, -1));
        values.add(value.replaceAll("'", "''"));
      }
    }
  }
  return [...values].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Replaces every occurrence of each secret in a text (a server's error quoting the statement) with
 * `[HIDDEN]`. An edge of a secret that is a letter or digit must not touch another one in the text:
 * a named collection's `host = 'h'` is hidden too, and must not turn "enough" into "enoug[HIDDEN]".
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret) continue;
    const before = /^[\p{L}\p{N}_]/u.test(secret) ? '(?<![\\p{L}\\p{N}_])' : '';
    const after = /[\p{L}\p{N}_]$/u.test(secret) ? '(?![\\p{L}\\p{N}_])' : '';
    const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    result = result.replace(new RegExp(`${before}${escaped}${after}`, 'gu'), HIDDEN);
  }
  return result;
}

type Kind = 'function' | 'table' | 'database';

/** The arguments of a function, table engine or database engine that ClickHouse hides. */
/** Hidden arguments; `values` when only a part of the argument is secret. */
type Found = { nodes: Expression[]; shown: string; values?: string[]; what: string };

function functionSecrets(name: string, args: Expression[], kind: Kind): Found[] {
  const lower = name.toLowerCase();
  const hide = (...indexes: number[]) =>
    indexes.flatMap((i) => (args[i] ? [{ nodes: [args[i] as Expression], shown: HIDDEN, what: `argument ${i + 1}` }] : []));
  if (kind === 'database') {
    if (!['mysql', 'materializemysql', 'materializedmysql', 'postgresql', 'materializedpostgresql'].includes(lower)) return [];
    return isNamedCollection(args[0]) ? named(args, ['password']) : hide(3);
  }
  if (kind === 'table' ? ['MySQL', 'PostgreSQL', 'MaterializedPostgreSQL'].includes(name) : ['mysql', 'postgresql'].includes(lower))
    return isNamedCollection(args[0]) ? named(args, ['password']) : hide(4);
  if (kind === 'table' ? name === 'MongoDB' : lower === 'mongodb') {
    if (isNamedCollection(args[0])) return named(args, ['password']);
    return args.length <= 3 ? urlPassword(args[0]) : hide(4);
  }
  if (kind === 'table' ? name === 'ExternalDistributed' : false) return isNamedCollection(args[1]) ? named(args, ['password']) : hide(5);
  if (kind === 'table' ? name === 'Redis' : lower === 'redis') return isNamedCollection(args[0]) ? named(args, ['password']) : hide(kind === 'table' ? 2 : 4);
  if (kind === 'table' ? ['S3', 'COSN', 'OSS', 'S3Queue', 'GCS'].includes(name) : ['s3', 'cosn', 'oss', 'gcs', 's3cluster'].includes(lower)) {
    const url = lower === 's3cluster' ? 1 : 0;
    if (isNamedCollection(args[url])) return named(args, ['secret_access_key', 'session_token']);
    const inUrl = s3UrlCredentials(args[url]);
    if (args.length < url + 3) return inUrl;
    const next = args[url + 1];
    if (args.length < url + 5 && next?.kind === 'Literal' && next.type === 'string' && FORMAT_NAMES.has(next.value)) return inUrl;
    return [...inUrl, ...hide(url + 2)];
  }
  if (kind === 'function' && ['remote', 'remotesecure'].includes(lower)) return remoteSecrets(args);
  if (kind === 'function' && ['encrypt', 'decrypt', 'aes_encrypt_mysql', 'aes_decrypt_mysql', 'trydecrypt'].includes(lower))
    return args.length > 1 ? [{ nodes: args.slice(1), shown: HIDDEN, what: 'the key' }] : [];
  if (kind === 'table' ? name === 'URL' : lower === 'url') return urlPassword(args[0]);
  if (kind === 'table' ? name === 'AzureBlobStorage' : lower === 'azureblobstorage') {
    if (isNamedCollection(args[0])) return named(args, ['account_key']);
    return args.length >= 5 ? hide(4) : accountKey(args[0]);
  }
  return [];
}

/** `remote('addresses', db.table | 'db', 'table' | table_function(), 'user', 'password', ...)`: the password, a string. */
function remoteSecrets(args: Expression[]): Found[] {
  if (isNamedCollection(args[0])) return named(args, ['password']);
  if (args.length < 3) return [];
  const table = args[1];
  let index = 2;
  const text =
    table?.kind === 'Literal' && table.type === 'string' ? table.value : table?.kind === 'ColumnRef' ? table.parts.map((p) => p.name).join('.') : undefined;
  // A database name alone (no dot) is followed by the table's name.
  if (table?.kind !== 'FunctionCall' && text !== undefined && !text.includes('.')) index = 3;
  const password = args[index + 1];
  return password?.kind === 'Literal' && password.type === 'string' ? [{ nodes: [password], shown: HIDDEN, what: 'the password' }] : [];
}

function isNamedCollection(argument: Expression | undefined): boolean {
  return argument?.kind === 'ColumnRef' && argument.parts.length === 1;
}

/** `key = 'value'` arguments whose key is one of `keys`. */
function named(args: Expression[], keys: string[]): Found[] {
  return args.flatMap((a) =>
    a.kind === 'BinaryExpression' && a.operator === '=' && a.left.kind === 'ColumnRef' && keys.includes(a.left.parts.map((p) => p.name).join('.'))
      ? [{ nodes: [a.right], shown: HIDDEN, what: `${a.left.parts.map((p) => p.name).join('.')} =` }]
      : [],
  );
}

/** A URL argument with `user:password@`: shown with only the password hidden. */
function urlPassword(argument: Expression | undefined): Found[] {
  if (argument?.kind !== 'Literal' || argument.type !== 'string') return [];
  const password = passwordOf(argument.value);
  if (password === undefined) return [];
  const at = userInfoEnd(argument.value);
  return [
    {
      nodes: [argument],
      shown: `${argument.value.slice(0, at - password.length)}${HIDDEN}${argument.value.slice(at)}`,
      values: [password],
      what: 'the URL password',
    },
  ];
}

/** Query parameters of a presigned S3 URL that ClickHouse hides. */
const PRESIGNED_SECRETS = new Set(['x-amz-signature', 'x-amz-credential', 'x-amz-security-token']);

/** An S3 URL with `user:key@` (hidden whole) or presigned credentials in its query: shown with only those hidden. */
function s3UrlCredentials(argument: Expression | undefined): Found[] {
  if (argument?.kind !== 'Literal' || argument.type !== 'string') return [];
  const values: string[] = [];
  let url = argument.value;
  const at = userInfoEnd(url);
  if (at >= 0) {
    const start = url.indexOf('://') + 3;
    values.push(url.slice(start, at));
    url = `${url.slice(0, start)}${HIDDEN}${url.slice(at)}`;
  }
  const query = url.indexOf('?');
  if (query >= 0) {
    const parameters = url
      .slice(query + 1)
      .split('&')
      .map((parameter) => {
        const equals = parameter.indexOf('=');
        if (equals < 0 || !PRESIGNED_SECRETS.has(parameter.slice(0, equals).toLowerCase())) return parameter;
        values.push(parameter.slice(equals + 1));
        return `${parameter.slice(0, equals + 1)}${HIDDEN}`;
      });
    url = `${url.slice(0, query + 1)}${parameters.join('&')}`;
  }
  return values.length > 0 ? [{ nodes: [argument], shown: url, values, what: 'the credentials in the URL' }] : [];
}

/** `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=...;`: shown with only the key hidden. */
function accountKey(argument: Expression | undefined): Found[] {
  if (argument?.kind !== 'Literal' || argument.type !== 'string') return [];
  const fields = argument.value.split(';');
  const index = fields.findIndex((f) => f.startsWith('AccountKey='));
  if (index < 0) return [];
  const key = (fields[index] as string).slice('AccountKey='.length);
  fields[index] = `AccountKey=${HIDDEN}`;
  return [{ nodes: [argument], shown: fields.join(';'), values: [key], what: 'the AccountKey' }];
}

/** The offset of the `@` that ends a URL's user information (the first after `://`, as ClickHouse reads it), or -1. */
function userInfoEnd(url: string): number {
  const scheme = url.indexOf('://');
  if (scheme < 0) return -1;
  const at = url.indexOf('@', scheme + 3);
  const slash = url.indexOf('/', scheme + 3);
  return at >= 0 && (slash < 0 || at < slash) ? at : -1;
}

/** The password of a URL's `user:password@`, or undefined. */
function passwordOf(url: string): string | undefined {
  const at = userInfoEnd(url);
  if (at < 0) return undefined;
  const colon = url.indexOf(':', url.indexOf('://') + 3);
  return colon >= 0 && colon < at ? url.slice(colon + 1, at) : undefined;
}

/** The string tokens of a range of a text, as literals. */
function stringTokens(source: string, start: number, end: number): Literal[] {
  return lexSql(source.slice(start, end))
    .filter((token) => token.kind === 'String')
    .map((token) => ({
      kind: 'Literal',
      type: 'string',
      value: unquote(source.slice(start + token.start, start + token.end)),
      start: start + token.start,
      end: start + token.end,
    }));
}
