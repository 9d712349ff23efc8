import { join } from 'node:path';
import { DEFAULT_EMBEDDED_DIR, type EmbeddedOptions, openEmbeddedTarget } from './embedded.js';
import { targetError } from './failure.js';
import { openHttpTarget } from './http.js';
import { openSnapshotTarget } from './snapshot.js';
import type { ConnectionSettings, Target } from './types.js';

export interface OpenTargetOptions {
  /**
   * The project root (the directory holding clickplan.yaml, or the project path given): the embedded
   * engine's default directory is `.clickplan/embedded` under it, wherever the command runs. Unset:
   * the working directory.
   */
  root?: string;
  /** How the embedded engine starts (its configuration file), whichever directory it opens. */
  embedded?: EmbeddedOptions;
}

/** The directory a project's embedded engine lives under: the one holding its clickplan.yaml, else the project path given. */
export function projectRootOf(project: { root: string; config: { directory?: string } }): string {
  return project.config.directory ?? project.root;
}

/** Where the embedded engine keeps its data when `embedded` names no directory. */
export function defaultEmbeddedDir(root: string = process.cwd()): string {
  return join(root, DEFAULT_EMBEDDED_DIR);
}

/**
 * Opens the target a user named (`--target`, or the connection's URL):
 * - `http(s)://host:port` — a server, with the connection's user, password and database;
 * - `path/to/file.json` — a snapshot file, read-only;
 * - `embedded` or `embedded:<dir>` — chDB in-process, data in `<dir>` (default `.clickplan/embedded`
 *   under the project root). With no spec and no URL in the connection, the embedded engine.
 * Credentials in a spec URL are moved out of it (and win over the connection's).
 */
export async function openTarget(spec: string | undefined, connection: ConnectionSettings = {}, options: OpenTargetOptions = {}): Promise<Target> {
  const given = spec?.trim() || connection.url;
  if (!given || given === 'embedded') return openEmbeddedTarget(defaultEmbeddedDir(options.root), options.embedded);
  if (given.startsWith('embedded:')) {
    const dir = given.slice('embedded:'.length);
    if (!dir) throw invalidSpec('`embedded:` names no directory');
    return openEmbeddedTarget(dir, options.embedded);
  }
  if (/^https?:\/\//i.test(given)) return openHttpTarget(serverConnection(given, connection));
  if (given.toLowerCase().endsWith('.json')) return openSnapshotTarget(given);
  // Never echo the spec itself: a mistyped URL may carry a password.
  throw invalidSpec(
    /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? 'only http:// and https:// servers are supported' : 'it is neither a URL, a .json snapshot nor embedded[:dir]',
  );
}

function invalidSpec(why: string) {
  return targetError({
    code: 'target-invalid',
    message: `The target cannot be used: ${why}.`,
    help: 'Give http(s)://host:port for a server, a path ending in .json for a snapshot, or embedded[:dir] for the embedded engine.',
  });
}

/** The connection for a server URL: its own credentials (`https://user:pass@host`) win over the connection's. */
function serverConnection(spec: string, connection: ConnectionSettings): ConnectionSettings & { url: string } {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw invalidSpec('the URL is not valid');
  }
  const settings: ConnectionSettings & { url: string } = { ...connection, url: '' };
  if (url.username) settings.user = decodeURIComponent(url.username);
  if (url.password) settings.password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  settings.url = url.toString();
  return settings;
}
