import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { canonicalizeThroughEngine, describeDisagreement } from '../packages/core/src/canon/throughEngine.js';
import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import { RULES } from '../packages/core/src/rules/index.js';
import { lintAnalysis } from '../packages/core/src/rules/lint.js';
import { parseSql } from '../packages/core/src/syntax/parser.js';
import { formatTable, isStrict, measure } from './measure.js';
import { generateSchema } from './schema-generator.js';
import { singleNode } from './single-node.js';

// Issue 3's benchmark: model + graph + hash of a generated ~10,000-object schema, beside the time
// chDB takes to execute the same DDL (the "replay into a scratch database" other tools use).
// Target: at least 10x faster than the engine replay.
//
// Both sides get the same single-node rewrite of the generated cluster DDL (single-node.ts). The replay also checks, at scale, that every object the engine created hashes
// equal to what it stores.

const TARGET = 10;

const { statements } = generateSchema({ tables: 5000, seed: 7 });
const sql = `${statements.map(singleNode).join(';\n\n')};\n`;
const files = [{ file: 'schema.sql', text: sql }];

const analysis = analyzeFiles(files);
const objects = analysis.schema.objects.length;
const syntaxErrors = analysis.diagnostics.filter((d) => d.code === 'syntax-error').length;
const ours = measure(() => analyzeFiles(files), { warmup: 2, runs: 5 });
// Issue 5's benchmark: the same plus every rule, against the same reference.
const findings = lintAnalysis(analysis).length;
const lint = measure(() => lintAnalysis(analyzeFiles(files)), { warmup: 1, runs: 3 });

const dataDir = mkdtempSync(join(tmpdir(), 'clickplan-bench-model-'));
const session = new Session(dataDir);
const { statements: parsed } = parseSql(sql);
const refused = new Set<number>();
const replayStart = performance.now();
for (const statement of parsed) {
  try {
    session.query(sql.slice(statement.start, statement.end));
  } catch {
    refused.add(statement.start);
  }
}
const replay = performance.now() - replayStart;

// The hash check covers objects whose every statement the engine accepted: where it refused an ALTER,
// the model (rightly) has the change and the engine does not.
const accepted = analysis.schema.objects.filter((o) => [o.created, ...o.changes].every((l) => !refused.has(l.range.start)));
const created = new Set(
  session
    .query(
      "SELECT concat(database, '.', name) FROM system.tables WHERE database NOT IN ('system', 'information_schema', 'INFORMATION_SCHEMA') UNION ALL SELECT name FROM system.databases",
      'TSVRaw',
    )
    .trim()
    .split('\n'),
);
const check = canonicalizeThroughEngine(
  session,
  accepted.filter((o) => created.has(o.id)),
);
const agreeing = check.results.filter((r) => r.agrees).length;
for (const r of check.results.filter((x) => !x.agrees).slice(0, 3)) console.log(describeDisagreement(r));
session.cleanup?.();
rmSync(dataDir, { recursive: true, force: true });

const ratio = replay / ours.median;
console.log(`schema: ${objects} objects from ${statements.length} statements, ${(sql.length / 1e6).toFixed(1)} MB (${syntaxErrors} syntax errors)`);
console.log(
  formatTable(
    ['', 'time (ms)', 'objects/s'],
    [
      ['ClickPlan parse + model + graph + hash (median of 5)', ours.median.toFixed(0), ((objects / ours.median) * 1000).toFixed(0)],
      [`ClickPlan the same + all ${RULES.length} rules (median of 3)`, lint.median.toFixed(0), ((objects / lint.median) * 1000).toFixed(0)],
      ['chDB executing the same DDL (one run)', replay.toFixed(0), ((objects / replay) * 1000).toFixed(0)],
    ],
  ),
);
console.log(`ratio: ClickPlan is ${ratio.toFixed(1)}x faster than the engine replay (target >= ${TARGET}x)`);
console.log(`lint: ${(replay / lint.median).toFixed(1)}x faster than the engine replay, ${findings} findings on the generated schema`);
console.log(`engine refused ${refused.size} statements; of the ${check.results.length} objects it created, ${agreeing} hash equal to what it stores`);
if (isStrict() && (ratio < TARGET || agreeing !== check.results.length)) process.exitCode = 1;
