import type { Range, Severity } from '../diagnostics.js';
import { docsPageUrl } from '../docs.js';
import type { Analysis } from '../inspect/analyze.js';
import type { ServerFacts } from '../server/facts.js';
import { SessionCache, sessionStore } from '../session.js';
import type { Statement } from '../syntax/ast.js';
import type { NodeOfKind, SyntaxKind } from '../syntax/nodes.js';
import type { AppliedMigration, MigrationFile } from './migrationHistory.js';
import type { OptionsSchema } from './optionsSchema.js';

// A rule, as ESLint and typescript-eslint write them: its docs (with the page's URL), its messages
// with typed `{placeholders}`, a schema of its options, listeners by node kind (one traversal of
// each statement serves every rule, lint.ts) and/or a hook over the whole project, and reports that
// carry their own quick fixes.

/** What a finding says: the fact and its ClickHouse effect, then what to do (starting with a verb). */
export interface RuleMessage {
  message: string;
  help: string;
}

/**
 * The `{placeholders}` of a text, as a union of their names: `Placeholders<'{a} of {b}'>` is `'a' | 'b'`.
 * `\\{shard}` is the text `{shard}` (a ClickHouse macro), not a placeholder.
 */
export type Placeholders<Text> = Text extends `${infer Before}{${infer Name}}${infer Rest}`
  ? Before extends `${string}\\`
    ? Placeholders<Rest>
    : PlaceholderName<Name> | Placeholders<Rest>
  : never;

/** `{{name}}` is a placeholder in braces: the name is what the innermost brace opens. */
type PlaceholderName<Name> = Name extends `${string}{${infer Inner}` ? PlaceholderName<Inner> : Name;

/** `data` with exactly a value per placeholder (optional when there is none). Texts typed `string` accept any data. */
type DataOf<Names> = [Names] extends [never] ? { data?: Record<string, string | number> } : { data: Record<Names & string, string | number> };

/** The data a message needs: its message's and its help's placeholders. */
export type MessageData<M> = M extends RuleMessage ? DataOf<Placeholders<M['message']> | Placeholders<M['help']>> : DataOf<Placeholders<M>>;

/** A replacement of a range of a file (an insertion when the range is empty). */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** Builds a fix's edits from the file as it is when the fix is asked for. */
export interface Fixer {
  /** The file's text now: a fix is computed when an editor asks for it, from nodes whose offsets move with edits. */
  readonly text: string;
  insertAt(offset: number, text: string): TextEdit;
  replace(range: Range, text: string): TextEdit;
  remove(range: Range): TextEdit;
}

/** One object type of an intersection: a union of these is discriminated by `messageId`. */
type Flat<T> = { [K in keyof T]: T[K] };

/** A fix or a suggestion: a title (one of the rule's `fixes`, with its data) and the edits, made when asked for; none when `fix` returns nothing. */
export type RuleFix<Titles> = {
  [Id in keyof Titles & string]: Flat<{ messageId: Id; fix(fixer: Fixer): TextEdit | TextEdit[] | undefined } & MessageData<Titles[Id]>>;
}[keyof Titles & string];

/** A finding reported with `messageId` (or one of a union of ids), without its file; `data` is checked against the message's placeholders. */
export type FindingOf<Messages, Titles, Id extends keyof Messages & string> = {
  /** The exact range the finding is about (a node of the syntax tree). */
  node: Range;
  messageId: Id;
  /** The fix to apply (an editor offers it first). */
  fix?: RuleFix<Titles>;
  /** Other ways to fix it, for a person to choose. */
  suggest?: RuleFix<Titles>[];
} & MessageData<Messages[Id]>;

/** A finding of one statement, without its file: one of the rule's messages with its data. */
export type StatementFinding<Messages, Titles = Record<never, string>> = {
  [Id in keyof Messages & string]: Flat<FindingOf<Messages, Titles, Id>>;
}[keyof Messages & string];

/** A finding with its file. */
export type Finding<Messages, Titles = Record<never, string>, Id extends keyof Messages & string = keyof Messages & string> = FindingOf<
  Messages,
  Titles,
  Id
> & {
  file: string;
};

/** A statement with the file it stands in, in migration order. */
export interface LocatedStatement {
  file: string;
  statement: Statement;
}

/**
 * What the repository's configuration says about where it deploys and what was deployed before:
 * facts every rule may read (`context.project`), kept apart from a rule's own options.
 */
export interface ProjectOptions {
  /** The cluster the migrations run ON CLUSTER; unset for a single server. */
  cluster?: string;
  /** Names must be written with their database (`qualifiedNames` in clickplan.yaml). */
  qualifiedNames?: boolean;
  /** The repository's migration files as `loadProject` read them: kind, version, SHA-256 of the exact bytes. */
  migrations?: readonly MigrationFile[];
  /** The versioned migrations already applied, with their checksums: the base branch's, or the deploy registry's. */
  applied?: readonly AppliedMigration[];
  /** The names the servers' configuration (`server.config`) defines; unset when it is not known. */
  server?: ServerFacts;
}

export interface RuleContext<Messages, Options = Record<string, never>, Titles = Record<never, string>> {
  /** The repository as parsed, modelled and graphed. Rules read this, never raw text. */
  analysis: Analysis;
  /** Every statement with its file, in migration order. */
  statements: readonly LocatedStatement[];
  /** Deployment facts from the configuration (cluster, naming policy, migrations and what was applied). */
  project: ProjectOptions;
  /** The rule's options: its defaults with the configured values over them, checked against its schema. */
  options: Options;
  report<Id extends keyof Messages & string>(finding: Finding<Messages, Titles, Id>): void;
}

/** Where a listener's node stands: its statement, the statement's file and its index in migration order. */
export interface NodeAt {
  file: string;
  statement: Statement;
  /** The statement's index in `context.statements` (timelines are queried by it). */
  index: number;
}

/**
 * Listeners by node kind: `{ CreateView(node, at) { ... } }`; `node` is narrowed to its kind.
 * `Statement` (no node's kind) is called for every statement, before the listeners of its kind:
 * for rules that follow the migrations statement by statement (what a SET, a USE or a DROP before
 * changes), as ESLint's `Program` and `*` serve rules that need every node.
 */
export type NodeListeners = { [K in SyntaxKind]?: (node: NodeOfKind<K>, at: NodeAt) => void } & {
  Statement?: (statement: Statement, at: NodeAt) => void;
};

/** A rule as `defineRule` takes it. */
export interface RuleDefinition<Messages, Options, Titles> {
  /** Kebab-case, names the risk; the file and the docs page are named after it. */
  id: string;
  /** Default severity; data loss is an error. */
  severity: Severity;
  docs: {
    /** One sentence for rule lists and SARIF: what goes wrong in production. */
    description: string;
  };
  messages: Messages;
  /** Titles of the fixes and suggestions its reports carry, with `{placeholders}`. */
  fixes?: Titles;
  /** What options the rule takes; `clickplan.yaml` values are checked against it. None when omitted. */
  schema?: OptionsSchema<Options>;
  defaultOptions?: Options;
  /** Listeners by node kind, created once per lint run; every statement is walked once for all rules. */
  create?(context: RuleContext<Messages, Options, Titles>): NodeListeners;
  /** A hook over the whole project, run after the walk: for rules that need the schema, the graph or the history. */
  check?(context: RuleContext<Messages, Options, Titles>): void;
}

/** A rule as the registry and the lint engine hold it; `Rule` alone is any rule. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds rules of every option type.
export interface Rule<Messages = Record<string, RuleMessage>, Options = any, Titles = Record<string, string>> {
  id: string;
  severity: Severity;
  docs: {
    description: string;
    /** The URL of the rule's published page (`rules/<id>.md` under the docs base). */
    url: string;
  };
  messages: Messages;
  fixes: Titles;
  schema: OptionsSchema<Options> | undefined;
  defaultOptions: Options;
  create?(context: RuleContext<Messages, Options, Titles>): NodeListeners;
  check?(context: RuleContext<Messages, Options, Titles>): void;
}

/**
 * Declares a rule: `messageId` and `data` in `report` are checked against `messages` by the compiler,
 * and `docs.url` is its page.
 */
export function defineRule<
  const Messages extends Record<string, RuleMessage>,
  Options = Record<string, never>,
  const Titles extends Record<string, string> = Record<never, string>,
>(rule: RuleDefinition<Messages, Options, Titles>): Rule<Messages, Options, Titles> {
  return {
    id: rule.id,
    severity: rule.severity,
    docs: { description: rule.docs.description, url: ruleDocsUrl(rule.id) },
    messages: rule.messages,
    fixes: rule.fixes ?? ({} as Titles),
    schema: rule.schema,
    defaultOptions: rule.defaultOptions ?? ({} as Options),
    ...(rule.create ? { create: rule.create } : {}),
    ...(rule.check ? { check: rule.check } : {}),
  };
}

/** The published page of a rule. */
export function ruleDocsUrl(id: string, base?: string): string {
  return docsPageUrl(`rules/${id}.md`, base);
}

/** Fills `{name}` placeholders; `\\{name}` stands for the text `{name}`. */
export function fillPlaceholders(text: string, data: Record<string, string | number> = {}): string {
  return text.replace(/(\\?)\{(\w+)\}/g, (whole, escaped: string, name: string) => (escaped ? whole.slice(1) : name in data ? String(data[name]) : whole));
}

/**
 * For findings that depend on one statement alone: `find`, computed once per statement object in
 * an analysis session (outside one, every time). An editor lints after every keystroke and keeps
 * the statements an edit did not reach, moving those after it in place (syntax/incremental.ts),
 * in one session; so `find` must report nodes of the statement itself,
 * whose offsets move with it, never a range it computed. Fixes are functions for the same reason:
 * they read the nodes' offsets when an editor asks for them, not when the statement was linted.
 */
export function perStatement<S extends Statement, F>(find: (statement: S) => F[]): (statement: S) => F[] {
  // The findings live in the running analysis session (session.ts), as every other cache does.
  const cache = new SessionCache<S, F[]>(`rules: findings per statement (${find.name || 'anonymous'})`);
  return (statement) => {
    const found = sessionStore(cache);
    let findings = found.get(statement);
    if (!findings) found.set(statement, (findings = find(statement)));
    return findings;
  };
}
