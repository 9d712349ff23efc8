import type { Diagnostic } from '../diagnostics.js';
import { buildModel, type ParsedFile } from '../model/replay.js';
import type { Schema } from '../model/schema.js';
import { plural } from '../plural.js';
import { parseSql } from '../syntax/parser.js';
import { quoteName } from './reader.js';
import type { LiveAccessEntity, LiveSchema } from './types.js';

/** Inner tables of materialized views without TO: they belong to their view and are not objects of a repository. */
const INNER_TABLE = /^\.inner(_id)?\./;

/** Authentication methods whose secret `SHOW CREATE USER` leaves out (`IDENTIFIED WITH sha256_password`). */
const PASSWORD_METHOD =
  /\b(plaintext_password|sha256_password|sha256_hash|double_sha1_password|double_sha1_hash|bcrypt_password|bcrypt_hash|scram_sha256_password)\b(?!\s+BY\b)/gi;

/**
 * `SHOW CREATE USER` hides passwords and hashes, printing `IDENTIFIED WITH sha256_password` with no
 * `BY`, which ClickHouse itself would not parse. An empty secret stands in for the hidden one: the
 * canonical form keeps the method and never a secret, so the hash is the repository's.
 */
function withHiddenSecrets(createQuery: string): string {
  return createQuery.replace(PASSWORD_METHOD, "$1 BY ''");
}

/**
 * The live schema as a model, built by the same parser and replay as the repository: databases,
 * then functions and named collections, then tables, views and dictionaries (in any order: the model tolerates references),
 * then roles, users and their grants. Each object is one file named `<live db.name>`. A CREATE
 * statement our parser cannot read becomes a warning naming the object, and the object is left out.
 * `diagnostics` holds those warnings and the replay's own diagnostics (also in `schema.diagnostics`).
 */
export function modelLiveSchema(live: LiveSchema, defaultDatabase = 'default'): { schema: Schema; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const files: ParsedFile[] = [];
  const add = (file: string, what: string, text: string, expected: string[]) => {
    const parsed = parseSql(text, { file });
    const kind = parsed.statements[0]?.kind;
    const problem =
      parsed.diagnostics[0]?.message ??
      (parsed.statements.length !== 1 ? `it holds ${plural(parsed.statements.length, 'statement')}` : undefined) ??
      (kind && !expected.includes(kind) ? `it is a ${kind} statement` : undefined);
    if (problem) {
      diagnostics.push({
        code: 'live-object-unreadable',
        severity: 'warning',
        file,
        range: { start: 0, end: text.length },
        message: `The definition of ${what} read from the target could not be parsed, so it is left out of the live schema: ${problem}`,
        help: 'Report it with this definition: ClickPlan should read everything ClickHouse prints.',
      });
      return;
    }
    // Declarative: replayed in dependency order, so a view comes after the tables it reads (it stores their column types).
    files.push({ file, statements: parsed.statements, declarative: true });
  };
  for (const database of live.databases) {
    const text = database.createQuery ?? `CREATE DATABASE ${quoteName(database.name)} ENGINE = ${database.engine}`;
    add(`<live database ${database.name}>`, `database \`${database.name}\``, text, ['CreateDatabase']);
  }
  for (const fn of live.functions) add(`<live function ${fn.name}>`, `function \`${fn.name}\``, fn.createQuery, ['CreateFunction']);
  for (const collection of live.namedCollections ?? [])
    add(`<live named collection ${collection.name}>`, `named collection \`${collection.name}\``, collection.createQuery, ['CreateNamedCollection']);
  for (const table of live.tables) {
    if (INNER_TABLE.test(table.name)) continue;
    add(`<live ${table.database}.${table.name}>`, `\`${table.database}.${table.name}\``, table.createQuery, ['CreateTable', 'CreateView', 'CreateDictionary']);
  }
  // Roles before the users holding them, users before the profiles, quotas and policies applying TO them.
  const order: LiveAccessEntity['kind'][] = ['role', 'user', 'settings-profile', 'quota', 'row-policy'];
  const entities = [...live.accessEntities].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  for (const entity of entities)
    add(`<live ${entity.kind} ${entity.name}>`, `${entity.kind} \`${entity.name}\``, withHiddenSecrets(entity.createQuery), ['CreateAccessEntity']);
  live.grants.forEach((grant, index) => {
    add(`<live grant ${index + 1}>`, `grant \`${grant}\``, grant, ['Grant', 'Revoke']);
  });
  // The roles a user holds are its SHOW GRANTS lines, not the DEFAULT ROLE of its SHOW CREATE.
  const schema = buildModel(files, { defaultDatabase, grantsAtCreate: false });
  return { schema, diagnostics: [...diagnostics, ...schema.diagnostics] };
}
