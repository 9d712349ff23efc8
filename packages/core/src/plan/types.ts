import type { Diagnostic } from '../diagnostics.js';
import type { Drift } from '../diff/diff.js';
import type { ObjectKind } from '../model/schema.js';

/**
 * How much a step can hurt: `safe` changes metadata only; `heavy` rewrites or copies data (a mutation,
 * a TTL materialization, a table copy) and takes time and I/O; `data-loss` destroys data or lets rows
 * be missed.
 */
export type Risk = 'safe' | 'heavy' | 'data-loss';

export const RISK_ORDER: readonly Risk[] = ['safe', 'heavy', 'data-loss'];

export type StepAction = 'create' | 'drop' | 'alter' | 'rename' | 'replace' | 'copy' | 'exchange';

export interface PlanStep {
  /** The object the step changes (`db.name`, or the bare name of a database, function or user). */
  object: string;
  objectKind: ObjectKind;
  action: StepAction;
  /** The statement to run, printed by the one SQL printer. */
  sql: string;
  /** The database unqualified names in `sql` mean: the deploy runs the statement in it. */
  database: string;
  /** Why the step is needed: what differs. */
  reason: string;
  risk: Risk;
  /** What the risk is, when it is not `safe`. */
  riskReason?: string;
  /** Rows and bytes the step touches, when the target reports them (from `system.parts`). */
  impact?: { rows: number; bytes: number };
}

/** One statement of a pending migration file, as the deploy will run it. */
export interface PendingStatement {
  /** 0-based among the file's executable statements (what the registry records). */
  ordinal: number;
  /** What runs (ON CLUSTER added when a cluster is configured). */
  sql: string;
  database: string;
  risk: Risk;
  riskReason?: string;
  /**
   * The reason of a `clickplan-ignore` comment that suppressed the finding behind `risk`: the
   * statement was reviewed, and the deploy's risk gate lets it through.
   */
  reviewed?: string;
}

/** A versioned or repeatable migration file the deploy will run (from `resumeAt` when it stopped half way before). */
export interface PendingMigration {
  file: string;
  /** The registry's name of it. */
  migration: string;
  tenant?: string;
  /** 0-based ordinal of the first statement to run: statements before it already ran. */
  resumeAt: number;
  statements: PendingStatement[];
}

export interface Plan {
  steps: PlanStep[];
  /**
   * Versioned layouts: the pending files as they will run, in order. `steps` is then the resulting
   * schema change, and `risk` the highest risk of a statement that was not reviewed.
   */
  migrations?: PendingMigration[];
  /** Live differences the repository did not make: reported, not planned away. */
  drift: Drift[];
  /** The highest risk of any step (`safe` for an empty plan). */
  risk: Risk;
  /** Changes that cannot be planned (e.g. a database engine) and what the live schema could not show. */
  diagnostics: Diagnostic[];
}

export function maxRisk(risks: Iterable<Risk>): Risk {
  let highest: Risk = 'safe';
  for (const risk of risks) if (RISK_ORDER.indexOf(risk) > RISK_ORDER.indexOf(highest)) highest = risk;
  return highest;
}
