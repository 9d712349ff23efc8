import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type Alias, type Document, parseDocument, visit } from 'yaml';
import type { Diagnostic, RuleSeverity, Severity } from '../diagnostics.js';
import { docsPageUrl } from '../docs.js';
import { closestName, findKey, findValue, schemaDiagnostics } from './configErrors.js';
import { displayPath, isDirectory, isFile, type SourceFile } from './files.js';

/** The layouts ClickPlan reads; docs/layouts.md describes each. */
export const LAYOUT_NAMES = ['declarative', 'flyway', 'environment', 'golang-migrate', 'goose', 'dbmate', 'numbered'] as const;

export type LayoutName = (typeof LAYOUT_NAMES)[number];

/** File names ClickPlan reads its configuration from, in the project directory. */
export const CONFIG_FILE_NAMES = ['clickplan.yaml', 'clickplan.yml'] as const;

/** Name patterns of a tenant's objects; `{slug}` stands for the tenant's line in tenants.txt. */
export interface TenantNamePatterns {
  database: string;
  role: string;
  user: string;
  /** The Kubernetes Secret that holds the tenant's credentials. */
  secret: string;
}

/**
 * The ZooKeeper path and replica name given to a Replicated*MergeTree table written without
 * arguments: `sharded` for tables a Distributed table in the repository spreads over shards,
 * `unsharded` (one copy on every replica, `all`) for the others. `{database}` and `{table}` are
 * written out when the table is created, so a later RENAME keeps the path; `{shard}` and `{replica}`
 * stay macros of each server.
 */
export interface ReplicationConvention {
  sharded: string;
  unsharded: string;
  /** Replica name of a sharded table: unique within a shard. */
  replica: string;
  /** Replica name of an unsharded table: unique across the cluster, since every host holds a replica. */
  unshardedReplica: string;
}

export const DEFAULT_REPLICATION: ReplicationConvention = {
  sharded: '/clickhouse/tables/{shard}/{database}/{table}',
  unsharded: '/clickhouse/tables/all/{database}/{table}',
  replica: '{replica}',
  unshardedReplica: '{shard}-{replica}',
};

/** `clickplan.yaml` with every default filled in. docs/config.md describes each key. */
/** `deploy:` of clickplan.yaml: how deploys run unless a flag says otherwise (schema: clickplan.schema.json). */
export interface DeployConfig {
  alterCluster?: string;
  mutationsSync?: 0 | 1 | 2;
  alterSync?: 0 | 1 | 2;
  lockWait?: number;
  lockTtl?: number;
  retries?: number;
  ddlTimeout?: number;
  ddlPoll?: number;
  /** Run new migrations below the highest applied version (Flyway's outOfOrder); default false. */
  outOfOrder?: boolean;
  /** The highest risk `apply` runs without asking: `safe`, `heavy` (the default) or `data-loss`. */
  maxRisk?: 'safe' | 'heavy' | 'data-loss';
}

/** What a deploy does when neither `deploy:` nor a flag says otherwise (the schema states the same). */
export const DEPLOY_DEFAULTS = {
  mutationsSync: 2,
  alterSync: 2,
  lockWait: 0,
  lockTtl: 120,
  retries: 5,
  ddlPoll: 60,
  outOfOrder: false,
  maxRisk: 'heavy',
} as const;

export interface ClickPlanConfig {
  /** The file read (as diagnostics show it); unset when there is none and everything is a default. */
  file?: string;
  layout: LayoutName | 'auto';
  /** Directories as absolute paths (written relative to the config file). */
  paths: { schema?: string; migrations?: string };
  /** Database unqualified names resolve to before any USE. */
  database: string;
  /** Whether names must carry their database (the `unqualified-name` rule). */
  qualifiedNames: boolean;
  cluster?: string;
  /** ZooKeeper paths for Replicated tables written without arguments; unset: ClickHouse's defaults. */
  replication?: ReplicationConvention;
  /** `http(s)://…`, a `.json` snapshot or `embedded[:dir]`; never holds a password. */
  target?: string;
  /** Database of the deploy registry. */
  registry: string;
  deploy: DeployConfig;
  /** Default environment of the environment layout. */
  environment?: string;
  tenants: TenantNamePatterns;
  /** Severity per rule id, for `lintAnalysis`'s `rules` option. */
  rules: Record<string, RuleSeverity>;
  /** Options per rule id (`rules: { <id>: { options } }`), checked against each rule's schema; for `lintAnalysis`'s `ruleOptions`. */
  ruleOptions: Record<string, Record<string, unknown>>;
  failOn: Severity;
  /** Absolute directory of the configuration file read; unset when there is none. */
  directory?: string;
  /** `server:`: the team's server configuration (absolute path of config.xml or config.yaml). */
  server?: { config: string };
  /** `embedded:`: a chDB configuration file passed as it is (absolute path). */
  embedded?: { config: string };
}

export interface ConfigResult {
  value: ClickPlanConfig;
  diagnostics: Diagnostic[];
  /** The configuration file as read, so front ends can show where its diagnostics point. */
  source?: SourceFile;
}

export interface LoadConfigOptions {
  /** A configuration file to read instead of `clickplan.yaml`/`clickplan.yml` in the directory. */
  configFile?: string;
  /**
   * The rule ids `rules:` may name; unchecked when left out. The registry lives in `rules/`, above
   * `project/` in the pipeline, so it is handed down (`entries/project.ts` does).
   */
  ruleIds?: readonly string[];
  /** What is wrong with the options `rules:` gives a rule (its schema is in `rules/`, handed down with `ruleIds`); unchecked when left out. */
  ruleOptionProblems?: RuleOptionProblems;
}

/** Checks the options of one rule: each problem names the option it is about, if any. */
export type RuleOptionProblems = (id: string, options: unknown) => readonly { option?: string; message: string }[];

/** The configuration of a project without a configuration file. */
export function defaultConfig(): ClickPlanConfig {
  return {
    layout: 'auto',
    paths: {},
    database: 'default',
    qualifiedNames: false,
    registry: 'clickplan',
    deploy: {},
    tenants: {
      database: 'tenant_{slug}',
      role: 'role_tenant_{slug}',
      user: 'user_tenant_{slug}',
      secret: 'superset-tenant-{slug}-clickhouse-credentials',
    },
    rules: {},
    ruleOptions: {},
    failOn: 'error',
  };
}

/**
 * Reads `clickplan.yaml` (or `clickplan.yml`) from a project directory, or the given file, and checks
 * it against the JSON Schema that ships with ClickPlan. No file: the defaults. Problems are
 * diagnostics pointing at the offending key or value; the value is then the defaults, so that
 * nothing runs half configured.
 */
export function loadConfig(dir: string, options: LoadConfigOptions = {}): ConfigResult {
  const found = findConfigFile(dir, options.configFile);
  if (!found.path) return { value: defaultConfig(), diagnostics: found.diagnostics };
  const file = displayPath(found.path);
  let text: string;
  try {
    text = readFileSync(found.path, 'utf8');
  } catch (error) {
    const diagnostic: Diagnostic = {
      code: 'config-invalid',
      severity: 'error',
      file,
      range: { start: 0, end: 0 },
      message: `${basename(file)} could not be read: ${(error as Error).message}.`,
      help: 'Make the file readable, or remove it to use the defaults.',
    };
    return { value: defaultConfig(), diagnostics: [diagnostic] };
  }
  const parsed = readConfig(text, { file, directory: dirname(found.path), ruleIds: options.ruleIds, ruleOptionProblems: options.ruleOptionProblems });
  const source = { file, text };
  if (parsed.document) parsed.diagnostics.push(...missingPaths(parsed.value, parsed.document, file));
  return { value: parsed.value, diagnostics: [...found.diagnostics, ...parsed.diagnostics], source };
}

/**
 * Checks the text of a configuration file, as an editor has it. Pure: no I/O. `directory` is where
 * relative paths start (the file's directory).
 */
export function parseConfig(
  text: string,
  options: { file: string; directory: string; ruleIds?: readonly string[] | undefined; ruleOptionProblems?: RuleOptionProblems | undefined },
): ConfigResult {
  const { value, diagnostics } = readConfig(text, options);
  return { value, diagnostics, source: { file: options.file, text } };
}

function readConfig(
  text: string,
  {
    file,
    directory,
    ruleIds,
    ruleOptionProblems,
  }: { file: string; directory: string; ruleIds?: readonly string[] | undefined; ruleOptionProblems?: RuleOptionProblems | undefined },
) {
  const value = defaultConfig();
  value.file = file;
  value.directory = resolve(directory);
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (document.errors.length) {
    const diagnostics = document.errors.map(
      (error): Diagnostic => ({
        code: 'config-invalid',
        severity: 'error',
        file,
        range: { start: error.pos[0], end: Math.max(error.pos[0], error.pos[1]) },
        message: `${basename(file)} is not valid YAML: ${error.message.replace(/\.$/, '')}.`,
        help: `Fix the YAML syntax; ${docsPageUrl('config.md')} shows every key with an example.`,
      }),
    );
    return { value, diagnostics, document: undefined };
  }
  const aliases = aliasDiagnostics(document, file);
  if (aliases.diagnostics.length) return { value, diagnostics: aliases.diagnostics, document: undefined };
  const data = aliases.data ?? {};
  const diagnostics = [...schemaDiagnostics(data, document, file), ...(ruleIds ? unknownRules(data, document, file, ruleIds) : [])].sort(
    (a, b) => a.range.start - b.range.start,
  );
  // Options are checked once the shape of `rules:` is right and every id names a rule.
  if (!diagnostics.length && ruleOptionProblems) diagnostics.push(...invalidRuleOptions(data, document, file, ruleOptionProblems));
  if (diagnostics.length) return { value, diagnostics, document };
  return { value: fillDefaults(data as RawConfig, directory, file), diagnostics, document };
}

/** How many nodes aliases may expand to in all: a configuration needs a few; a "billion laughs" document needs billions. */
const MAX_ALIAS_EXPANSION = 100;

/**
 * Converts the document to data, with its aliases checked first: an alias that names no anchor
 * before it, and aliases nested to expand exponentially ("billion laughs"), make the yaml library
 * throw; here they are diagnostics at the alias.
 */
function aliasDiagnostics(document: Document, file: string): { data?: unknown; diagnostics: Diagnostic[] } {
  const aliases: Alias[] = [];
  visit(document, {
    Alias(_key, node) {
      aliases.push(node);
    },
  });
  const at = (alias: Alias | undefined) => ({ start: alias?.range?.[0] ?? 0, end: alias?.range?.[1] ?? 0 });
  const unresolved = aliases.filter((alias) => !alias.resolve(document));
  if (unresolved.length)
    return {
      diagnostics: unresolved.map(
        (alias): Diagnostic => ({
          code: 'config-invalid',
          severity: 'error',
          file,
          range: at(alias),
          message: `${basename(file)} uses the YAML alias \`*${alias.source}\`, but no anchor \`&${alias.source}\` comes before it.`,
          help: `Define \`&${alias.source}\` on a value above this line, or write the value out.`,
        }),
      ),
    };
  try {
    return { data: document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION }), diagnostics: [] };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const diagnostic: Diagnostic = {
      code: 'config-invalid',
      severity: 'error',
      file,
      range: at(aliases[0]),
      message: `${basename(file)} nests YAML aliases that expand to more than ${MAX_ALIAS_EXPANSION} values (a "billion laughs" document); ClickPlan does not expand it.`,
      help: 'Write the values out instead of aliases of aliases.',
    };
    return { diagnostics: [diagnostic] };
  }
}

/** A rule's entry in `rules:`: its severity, or its severity and options. */
type RawRuleEntry = RuleSeverity | { severity?: RuleSeverity; options?: Record<string, unknown> };

/** The configuration as the schema has validated it: every key optional. */
type RawConfig = Partial<Omit<ClickPlanConfig, 'file' | 'directory' | 'tenants' | 'replication' | 'rules' | 'ruleOptions'>> & {
  rules?: Record<string, RawRuleEntry>;
  tenants?: Partial<TenantNamePatterns>;
  replication?: Partial<ReplicationConvention>;
};

function fillDefaults(raw: RawConfig, directory: string, file: string): ClickPlanConfig {
  const defaults = defaultConfig();
  const paths: ClickPlanConfig['paths'] = {};
  if (raw.paths?.schema) paths.schema = resolve(directory, raw.paths.schema);
  if (raw.paths?.migrations) paths.migrations = resolve(directory, raw.paths.migrations);
  const { replication, server, embedded, target, ...rest } = raw;
  return {
    ...defaults,
    ...rest,
    file,
    directory: resolve(directory),
    paths,
    // An embedded directory written in the file is relative to it, as paths are.
    ...(target ? { target: target.startsWith('embedded:') ? `embedded:${resolve(directory, target.slice('embedded:'.length))}` : target } : {}),
    ...(server ? { server: { config: resolve(directory, server.config) } } : {}),
    ...(embedded ? { embedded: { config: resolve(directory, embedded.config) } } : {}),
    tenants: { ...defaults.tenants, ...raw.tenants },
    ...rulesOf(raw.rules ?? {}),
    deploy: { ...raw.deploy },
    ...(replication ? { replication: { ...DEFAULT_REPLICATION, ...replication } } : {}),
  };
}

function findConfigFile(dir: string, configFile: string | undefined): { path?: string; diagnostics: Diagnostic[] } {
  if (configFile) {
    if (isFile(configFile)) return { path: configFile, diagnostics: [] };
    const diagnostic: Diagnostic = {
      code: 'path-not-found',
      severity: 'error',
      file: displayPath(configFile),
      range: { start: 0, end: 0 },
      message: `The configuration file \`${configFile}\` does not exist.`,
      help: 'Pass the path of an existing clickplan.yaml, or leave the option out to read the one in the project directory.',
    };
    return { diagnostics: [diagnostic] };
  }
  const present = CONFIG_FILE_NAMES.map((name) => join(dir, name)).filter(isFile);
  if (present.length < 2) return { path: present[0], diagnostics: [] };
  const diagnostic: Diagnostic = {
    code: 'config-invalid',
    severity: 'error',
    file: displayPath(present[1]),
    range: { start: 0, end: 0 },
    message: `Both clickplan.yaml and clickplan.yml exist in ${displayPath(dir) || '.'}: ClickPlan reads clickplan.yaml and ignores this file.`,
    help: 'Merge the two files into clickplan.yaml and delete clickplan.yml.',
  };
  return { path: present[0], diagnostics: [diagnostic] };
}

/** `rules:` as severities and options by rule id. */
function rulesOf(raw: Record<string, RawRuleEntry>): Pick<ClickPlanConfig, 'rules' | 'ruleOptions'> {
  const rules: ClickPlanConfig['rules'] = {};
  const ruleOptions: ClickPlanConfig['ruleOptions'] = {};
  for (const [id, entry] of Object.entries(raw)) {
    if (typeof entry === 'string') rules[id] = entry;
    else {
      if (entry.severity) rules[id] = entry.severity;
      if (entry.options) ruleOptions[id] = entry.options;
    }
  }
  return { rules, ruleOptions };
}

/** Rule options the rule's schema refuses, each at the option (or at `options`) it is about. */
function invalidRuleOptions(data: unknown, document: Document, file: string, problemsOf: RuleOptionProblems): Diagnostic[] {
  const rules = (data as { rules?: Record<string, RawRuleEntry> })?.rules ?? {};
  return Object.entries(rules).flatMap(([id, entry]) =>
    typeof entry === 'string' || entry.options === undefined
      ? []
      : problemsOf(id, entry.options).map(
          (problem): Diagnostic => ({
            code: 'config-invalid',
            severity: 'error',
            file,
            range: problem.option ? findKey(document, ['rules', id, 'options'], problem.option) : findKey(document, ['rules', id], 'options'),
            message: problem.message,
            help: `Write the options as ${docsPageUrl(`rules/${id}.md`)} describes them.`,
          }),
        ),
  );
}

/** Rule ids are not in the schema (a new rule adds one line to the registry and nothing elsewhere), so they are checked here. */
function unknownRules(data: unknown, document: Document, file: string, known: readonly string[]): Diagnostic[] {
  const rules = (data as { rules?: unknown })?.rules;
  if (!rules || typeof rules !== 'object' || Array.isArray(rules)) return [];
  return Object.keys(rules)
    .filter((id) => !known.includes(id))
    .map((id): Diagnostic => {
      const suggestion = closestName(id, known);
      return {
        code: 'config-invalid',
        severity: 'error',
        file,
        range: findKey(document, ['rules'], id),
        message: `Unknown rule \`${id}\` in \`rules\`; ${docsPageUrl('rules/README.md')} lists every rule.`,
        help: suggestion ? `Rename it to \`${suggestion}\`.` : `Remove it, or name a rule from ${docsPageUrl('rules/README.md')}.`,
      };
    });
}

/** Configured directories and files must exist: a typo would otherwise read nothing and report nothing. */
function missingPaths(config: ClickPlanConfig, document: Document, file: string): Diagnostic[] {
  const files = (['server', 'embedded'] as const)
    .filter((key) => config[key] !== undefined && !isFile(config[key].config))
    .map(
      (key): Diagnostic => ({
        code: 'path-not-found',
        severity: 'error',
        file,
        range: findValue(document, [key, 'config']),
        message: `\`${key}.config\` names \`${String(document.getIn([key, 'config']))}\`, which is not a file.`,
        help: 'Fix the path; it is relative to the directory of the configuration file.',
      }),
    );
  return [...files, ...missingDirectories(config, document, file)];
}

function missingDirectories(config: ClickPlanConfig, document: Document, file: string): Diagnostic[] {
  return (['schema', 'migrations'] as const)
    .filter((key) => config.paths[key] !== undefined && !isDirectory(config.paths[key]))
    .map(
      (key): Diagnostic => ({
        code: 'path-not-found',
        severity: 'error',
        file,
        range: findValue(document, ['paths', key]),
        message: `\`paths.${key}\` names \`${String(document.getIn(['paths', key]))}\`, which is not a directory.`,
        help: 'Fix the path; it is relative to the directory of the configuration file.',
      }),
    );
}
