import type { Plan } from '../plan/types.js';
import type { LockHolder } from './lock.js';

/** What a deploy reports as it goes, for progress output (a bar on a terminal, lines in CI logs). */
export type DeployEvent =
  | { kind: 'start'; mode: 'versioned' | 'declarative'; total: number; dryRun: boolean }
  | {
      kind: 'statement';
      /** 1-based position among every statement this deploy runs (or validates). */
      index: number;
      total: number;
      /** The migration file, or the object of a plan step. */
      unit: string;
      /** 1-based statement within the file, or the step's action. */
      detail: string;
      /** One line for a log: `V2__orders.sql statement 1/3`, `create table shop.orders`. */
      label: string;
      sql: string;
    }
  | { kind: 'plan'; plan: Plan }
  | { kind: 'skip'; unit: string; reason: string }
  | { kind: 'resume'; unit: string; statement: number; of: number }
  | { kind: 'retry'; sql: string; attempt: number; attempts: number; delayMs: number; error: string }
  | { kind: 'ddl-timeout'; task: string }
  | { kind: 'ddl-poll'; task: string; finished: number; hosts: number; unfinished: string[] }
  | { kind: 'lock-wait'; holder: LockHolder }
  | { kind: 'lock-takeover'; holder: LockHolder }
  | { kind: 'verify' };
