import type { Diagnostic } from '../diagnostics.js';

/** Why a deploy stopped (each code has a page in docs/errors/). */
export type DeployErrorCode =
  | 'migration-checksum-changed'
  | 'deploy-locked'
  | 'deploy-lock-lost'
  | 'deploy-statement-failed'
  | 'deploy-statement-uncertain'
  | 'deploy-interrupted'
  | 'deploy-out-of-order'
  | 'cluster-ddl-unfinished'
  | 'cluster-not-ready'
  | 'tenant-credentials-failed'
  | 'deploy-risk-refused'
  | 'saved-plan-stale';

/**
 * A deploy that stopped, as data: what failed, the server's words, and the state the deploy left
 * behind, so that a person knows what is applied and what to do next. Never holds a password.
 */
export interface DeployFailure {
  code: DeployErrorCode;
  message: string;
  help: string;
  /** The migration file (versioned) or object (declarative) the failing statement belongs to. */
  file?: string;
  /** 1-based number of the failing statement within its file, or of the failing plan step. */
  statement?: number;
  /** 1-based line of the file where the failing statement starts (migration files). */
  line?: number;
  /** The failing statement, one line, secrets masked. */
  sql?: string;
  serverCode?: number;
  serverMessage?: string;
  /** What is applied now and what is not, in one or two sentences. */
  state: string;
  /** Problems found before anything ran (changed checksums), each with its file. */
  diagnostics?: Diagnostic[];
}

export function deployFailure(failure: DeployFailure): DeployFailure {
  return failure;
}
