import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { displayPath, type SourceFile } from '../project/files.js';
import { type ConfigNode, child, mergeConfig, readYamlConfig } from './tree.js';
import { readXmlConfig } from './xml.js';

/** A server configuration as ClickHouse assembles it from its files. */
export interface ServerConfigFiles {
  /** The main file with conf.d/ and config.d/ merged in; unset when it could not be read. */
  config?: ConfigNode;
  /** The users file with users.d/ merged in (the main file itself when it holds the users). */
  users?: ConfigNode;
  /** Every file read, so findings can be shown with their lines. */
  files: SourceFile[];
  diagnostics: Diagnostic[];
}

/** Directories ClickHouse merges into a main file, in this order (conf.d/ sorts before config.d/). */
const MERGE_DIRECTORIES = ['conf.d', 'config.d'];

/**
 * Reads a server configuration the way ClickHouse does at startup: the main file (XML or YAML), then
 * every file of conf.d/ and config.d/ beside it in lexicographic order merged into it; then the users
 * file it names (`user_directories.users_xml.path`, else `users_config`, else users.xml beside it),
 * with users.d/ beside that merged in. Paths are relative to the main file's directory.
 */
export function loadServerConfig(path: string): ServerConfigFiles {
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const read = (file: string): ConfigNode | undefined => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      diagnostics.push(unreadable(file, error));
      return undefined;
    }
    const shown = displayPath(file);
    files.push({ file: shown, text });
    const parsed = /\.ya?ml$/i.test(file) ? readYamlConfig(text, shown) : readXmlConfig(text, shown);
    diagnostics.push(...parsed.diagnostics);
    return parsed.root;
  };
  const withPatches = (file: string, directories: string[]): ConfigNode | undefined => {
    let merged = read(file);
    for (const patchFile of directories.flatMap((d) => configFilesIn(join(dirname(file), d)))) {
      const patch = read(patchFile);
      if (merged && patch) merged = mergeConfig(merged, patch);
    }
    return merged;
  };

  const config = withPatches(resolve(path), MERGE_DIRECTORIES);
  const usersPath = usersFileOf(config, resolve(path));
  const users = usersPath === resolve(path) ? config : usersPath && withPatches(usersPath, ['users.d']);
  return { ...(config ? { config } : {}), ...(users ? { users } : {}), files, diagnostics };
}

/**
 * The users file a configuration names. A production config names it by absolute path
 * (/etc/clickhouse-server/users.xml), which is the server's, not this machine's: in a repository the
 * file stands beside config.xml, so an absolute path is looked up there by its file name.
 */
function usersFileOf(config: ConfigNode | undefined, configPath: string): string | undefined {
  const named = child(config, 'user_directories', 'users_xml', 'path')?.text || child(config, 'users_config')?.text || 'users.xml';
  const directory = dirname(configPath);
  const path = isAbsolute(named) ? join(directory, basename(named)) : join(directory, named);
  if (existsSync(path)) return path;
  // Users may be defined in the main file itself; no users file is no error.
  return config?.children.some((c) => c.name === 'users') ? configPath : undefined;
}

function configFilesIn(directory: string): string[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  return names
    .filter((name) => /\.(xml|ya?ml)$/i.test(name))
    .map((name) => join(directory, name))
    .sort();
}

function unreadable(file: string, error: unknown): Diagnostic {
  return {
    code: 'path-not-found',
    severity: 'error',
    file: displayPath(file),
    range: { start: 0, end: 0 },
    message: `The server configuration file \`${displayPath(file)}\` could not be read: ${(error as Error).message}.`,
    help: 'Fix `server.config` in clickplan.yaml (or --server-config): it names the main config.xml or config.yaml.',
  };
}
