import aggregatingDimensionOutsideKey from './aggregating-dimension-outside-key.js';
import alterNotCombined from './alter-not-combined.js';
import columnChangeBreaksDependent from './column-change-breaks-dependent.js';
import columnRenameRefused from './column-rename-refused.js';
import columnTypeChangeRefused from './column-type-change-refused.js';
import columnTypeNarrowing from './column-type-narrowing.js';
import columnTypeRewrite from './column-type-rewrite.js';
import ddlNotIdempotent from './ddl-not-idempotent.js';
import definerGrantMissing from './definer-grant-missing.js';
import dependsOnNotRefreshable from './depends-on-not-refreshable.js';
import destructiveStatement from './destructive-statement.js';
import distributedLocalMismatch from './distributed-local-mismatch.js';
import enumValueRemoved from './enum-value-removed.js';
import kafkaConsumerGroupChanged from './kafka-consumer-group-changed.js';
import materializeMutation from './materialize-mutation.js';
import migrationAppliedEdited from './migration-applied-edited.js';
import migrationOutOfOrder from './migration-out-of-order.js';
import modifyTtlMaterializes from './modify-ttl-materializes.js';
import mutationInMigration from './mutation-in-migration.js';
import mvImplicitInnerTable from './mv-implicit-inner-table.js';
import mvJoinNotTriggered from './mv-join-not-triggered.js';
import mvPopulate from './mv-populate.js';
import mvRecreateLosesInserts from './mv-recreate-loses-inserts.js';
import mvTargetColumns from './mv-target-columns.js';
import mvTargetDropped from './mv-target-dropped.js';
import nullableSortingKey from './nullable-sorting-key.js';
import onClusterDdlTimeout from './on-cluster-ddl-timeout.js';
import onClusterInReplicatedDatabase from './on-cluster-in-replicated-database.js';
import onClusterMissing from './on-cluster-missing.js';
import orderByChangeRefused from './order-by-change-refused.js';
import partitionOrEngineChange from './partition-or-engine-change.js';
import partitionTransferRefused from './partition-transfer-refused.js';
import referenceMissing from './reference-missing.js';
import renameBreaksDependents from './rename-breaks-dependents.js';
import replicaNameWithoutMacro from './replica-name-without-macro.js';
import replicatedPathDuplicate from './replicated-path-duplicate.js';
import replicatedPathRenamed from './replicated-path-renamed.js';
import replicatedPathWithoutShard from './replicated-path-without-shard.js';
import replicatedRecreateWithoutSync from './replicated-recreate-without-sync.js';
import type { Rule } from './rule.js';
import secretInSql from './secret-in-sql.js';
import serverInternalReplicationOff from './server-internal-replication-off.js';
import serverNameUndefined from './server-name-undefined.js';
import summingColumnNotSummed from './summing-column-not-summed.js';
import unqualifiedName from './unqualified-name.js';

/** Every rule, sorted by id: a new rule adds one line here (and one import). */
export const RULES: readonly Rule[] = [
  aggregatingDimensionOutsideKey,
  alterNotCombined,
  columnChangeBreaksDependent,
  columnRenameRefused,
  columnTypeChangeRefused,
  columnTypeNarrowing,
  columnTypeRewrite,
  ddlNotIdempotent,
  definerGrantMissing,
  dependsOnNotRefreshable,
  destructiveStatement,
  distributedLocalMismatch,
  enumValueRemoved,
  kafkaConsumerGroupChanged,
  materializeMutation,
  migrationAppliedEdited,
  migrationOutOfOrder,
  modifyTtlMaterializes,
  mutationInMigration,
  mvImplicitInnerTable,
  mvJoinNotTriggered,
  mvPopulate,
  mvRecreateLosesInserts,
  mvTargetColumns,
  mvTargetDropped,
  nullableSortingKey,
  onClusterDdlTimeout,
  onClusterInReplicatedDatabase,
  onClusterMissing,
  orderByChangeRefused,
  partitionOrEngineChange,
  partitionTransferRefused,
  referenceMissing,
  renameBreaksDependents,
  replicaNameWithoutMacro,
  replicatedPathDuplicate,
  replicatedPathRenamed,
  replicatedPathWithoutShard,
  replicatedRecreateWithoutSync,
  secretInSql,
  serverInternalReplicationOff,
  serverNameUndefined,
  summingColumnNotSummed,
  unqualifiedName,
] as Rule[];
