import type { Diagnostic } from '../diagnostics.js';
import type { Drift } from '../diff/diff.js';
import type { PlanStep, Risk } from '../plan/types.js';
import type { DeployEvent } from './events.js';
import type { DeployFailure } from './failure.js';
import type { LockOptions } from './lock.js';
import type { RiskyStep } from './pending.js';
import type { RetryPolicy } from './retry.js';
import type { SavedPlan } from './savedPlan.js';

/** How a deploy runs. Every field has a default; docs/deploy.md describes each. */
export interface DeployOptions {
  /** Validate every statement with the engine (`EXPLAIN AST`) without changing anything: no lock, no registry writes. */
  dryRun?: boolean;
  /** Database unqualified names resolve to in files without a tenant (default: `database:` of clickplan.yaml). */
  database?: string;
  /** Database of the registry (default: `registry:` of clickplan.yaml, `clickplan`). */
  registry?: string;
  /** Run statements ON CLUSTER (default: `cluster:` of clickplan.yaml). */
  cluster?: string;
  /** Cluster for ALTER of non-replicated tables (Distributed, MergeTree); default `cluster`. */
  alterCluster?: string;
  /** `distributed_ddl_task_timeout` for ON CLUSTER statements, in seconds (default: the server's). */
  ddlTaskTimeoutSeconds?: number;
  /** How long to poll a distributed DDL task after a 159 before stopping (default 60 s). */
  ddlPollSeconds?: number;
  /** Milliseconds between polls of the DDL task (default 500). */
  ddlPollIntervalMs?: number;
  /** ZooKeeper path of the distributed DDL queue, for the check before running (default `/clickhouse/task_queue/ddl`). */
  ddlQueuePath?: string;
  /** Skip the checks before an ON CLUSTER deploy (every host answers, DDL queue drained). */
  skipClusterChecks?: boolean;
  /** `mutations_sync` for ALTER and DELETE statements: 0 async, 1 this server, 2 every replica (default 2). */
  mutationsSync?: 0 | 1 | 2;
  /** `alter_sync` (`replication_alter_partitions_sync` on old servers) for ALTER statements (default 2). */
  alterSync?: 0 | 1 | 2;
  lock?: LockOptions;
  retry?: RetryPolicy;
  /** Run a new migration whose version is below the highest applied one (default false: refuse, `deploy-out-of-order`). */
  outOfOrder?: boolean;
  /** Asked before each statement: true stops the deploy there, recorded, with the lock released (the CLI's first Ctrl-C). */
  stopRequested?: () => boolean;
  /** Plan again after the last step and report what is left (default true). */
  verify?: boolean;
  onEvent?: (event: DeployEvent) => void;
  /**
   * The highest risk the deploy runs without asking (default `heavy`): a riskier plan step or
   * migration statement stops it before anything runs. Reviewed statements (their finding
   * suppressed with a reason) pass. Dry runs change nothing and are not gated.
   */
  maxRisk?: Risk;
  /** Asked (on a terminal) when steps are riskier than `maxRisk`: true runs the deploy anyway. */
  confirm?: (risky: RiskyStep[]) => Promise<boolean>;
  /** A plan saved by `plan --out`: the deploy runs exactly its steps, and refuses if the target or the repository changed since. */
  savedPlan?: SavedPlan;
}

/** What happened to one migration file. */
export interface MigrationOutcome {
  file: string;
  /** The registry's name for it: `<tenant>/<phase>/V<version>` or `<tenant>/<phase>/R <description>`. */
  migration: string;
  tenant?: string;
  status: 'applied' | 'already-applied' | 'failed' | 'validated' | 'pending';
  /** Statements of the file that ran (or were validated) in this deploy. */
  ran: number;
  statements: number;
  /** 1-based statement this deploy started at, when it resumed a file that had stopped half way. */
  resumedAt?: number;
}

/** What happened to one plan step (declarative deploys). */
export interface StepOutcome {
  object: string;
  action: PlanStep['action'];
  status: 'applied' | 'failed' | 'validated' | 'pending';
}

/** The result of a deploy, as text and JSON front ends show it. */
export interface DeployResult {
  mode: 'versioned' | 'declarative';
  dryRun: boolean;
  target: string;
  registry: string;
  migrations: MigrationOutcome[];
  steps: StepOutcome[];
  /** Declarative: objects the registry and the target both show as the repository defines them. */
  converged: string[];
  drift: Drift[];
  /** Statements that ran (or were validated). */
  statementsRun: number;
  retries: number;
  /** Things a person should know that did not stop the deploy. */
  notes: string[];
  failure?: DeployFailure;
  /** After the last step: what planning again finds, and on a cluster what differs between nodes. */
  verification?: { remaining: PlanStep[]; nodes?: { host: string; differences: string[] }[] };
  /** Problems with the repository found before anything ran. */
  diagnostics: Diagnostic[];
  durationMs: number;
}
