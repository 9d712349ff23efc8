/**
 * The conformance runner as a command: judges the corpus and prints the figures and the largest
 * groups of disagreements.
 *
 *   node --import tsx test/conformance/run.ts [--groups N] [--write-baseline] [--list KIND]
 */
import { writeFileSync } from 'node:fs';
import { BASELINE_FILE, GENERIC_REASON, readBaseline, reasonFor, writeBaseline } from './baseline.js';
import { corpusAvailable, type Judged, judgeAll, keyOf, readStatements, selectFiles } from './clickhouseTests.js';

const args = process.argv.slice(2);
const groupCount = Number(args[args.indexOf('--groups') + 1]) || 30;
const list = args.includes('--list') ? args[args.indexOf('--list') + 1] : undefined;

if (!corpusAvailable()) {
  console.error('The corpus ../shared/clickhouse-tests/queries is missing next to the repository.');
  process.exit(2);
}
const started = performance.now();
const selection = selectFiles();
const statements = selection.files.flatMap(readStatements);
const judged = judgeAll(statements);
const seconds = (performance.now() - started) / 1000;

const count = (kind: string): number => judged.filter((j) => j.disagreement === kind).length;
const accepted = judged.filter((j) => j.verdict.accepted).length;
console.log(
  `${selection.files.length} of ${selection.totalFiles} files (${selection.ddlFiles} with DDL), ${statements.length} statements; ` +
    `ClickHouse accepts ${accepted}, rejects ${statements.length - accepted}`,
);
console.log(
  `agree ${judged.filter((j) => !j.disagreement).length}, false errors ${count('false-error')}, false accepts ${count('false-accept')}, ` +
    `both reject on other lines ${count('other-line')}; ${seconds.toFixed(1)} s`,
);

/** Groups disagreements by our message (false errors) or ClickHouse's (false accepts). */
const groups = new Map<string, Judged[]>();
for (const j of judged) {
  if (!j.disagreement) continue;
  const message = j.disagreement === 'false-error' && !j.outcome.accepted ? j.outcome.message : !j.verdict.accepted ? j.verdict.message.slice(0, 80) : '';
  const key = `${j.disagreement}: ${message}`;
  groups.set(key, [...(groups.get(key) ?? []), j]);
}
for (const [key, members] of [...groups].sort((a, b) => b[1].length - a[1].length).slice(0, groupCount)) {
  console.log(`\n${members.length} × ${key}`);
  for (const j of members.slice(0, 3)) console.log(`    ${keyOf(j.statement)}  ${excerpt(j)}`);
}

if (list) {
  const lines = judged
    .filter((j) => j.disagreement === list)
    .map((j) => `${keyOf(j.statement)}\t${excerpt(j)}\t${j.outcome.accepted ? '' : j.outcome.message}`);
  writeFileSync(`/tmp/conformance-${list}.tsv`, `${lines.join('\n')}\n`);
  console.log(`\nwrote /tmp/conformance-${list}.tsv`);
}

if (args.includes('--write-baseline')) {
  const previous = readBaseline();
  writeBaseline(
    judged.flatMap((j) =>
      j.disagreement ? [{ key: keyOf(j.statement), kind: j.disagreement, reason: keptReason(previous.get(keyOf(j.statement))?.reason) ?? reasonFor(j) }] : [],
    ),
  );
  console.log(`\nwrote ${BASELINE_FILE}`);
}

/** A reason written for the entry is kept; the generic `not supported yet: <our message>` is worked out again. */
function keptReason(reason: string | undefined): string | undefined {
  return reason?.startsWith(GENERIC_REASON) ? undefined : reason;
}

function excerpt(j: Judged): string {
  const sql = j.statement.sql.replace(/\s+/g, ' ');
  const at = j.outcome.accepted ? 0 : Math.max(0, j.outcome.offset - 40);
  return (at > 0 ? '…' : '') + sql.slice(at, at + 140);
}
