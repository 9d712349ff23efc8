import { execFileSync } from 'node:child_process';
import { typeInferenceCoverage } from '../packages/core/src/canon/derivedColumns.js';
import { buildModel } from '../packages/core/src/model/replay.js';
import { parseSql } from '../packages/core/src/syntax/parser.js';
import { generateScene } from '../test/oracle/generate.js';
import { Random } from '../test/oracle/random.js';
import { renderObject } from '../test/oracle/spec.js';

// How much of the views' derived column types ClickPlan infers (issue #13, defect 12), on project
// directories (through `clickplan inspect --format json`) and on the oracle's generated views:
//   node --import tsx scripts/typeInferenceCoverage.ts [--oracle N] [dir...]

interface Counts {
  views: number;
  views_compared: number;
  columns: number;
  columns_inferred: number;
  reasons: Map<string, number>;
}

const total: Counts = { views: 0, views_compared: 0, columns: 0, columns_inferred: 0, reasons: new Map() };

function add(label: string, counts: Omit<Counts, 'reasons'>, reasons: string[]): void {
  for (const key of ['views', 'views_compared', 'columns', 'columns_inferred'] as const) total[key] += counts[key];
  for (const reason of reasons) total.reasons.set(reason, (total.reasons.get(reason) ?? 0) + 1);
  console.log(`${label}: ${counts.columns_inferred}/${counts.columns} columns inferred, ${counts.views_compared}/${counts.views} views compared`);
}

/** A reason without its names, so that reasons group: `column \`x\` of ...` → `column of ...`. */
const general = (reason: string) => reason.replace(/`[^`]*`/g, '`…`').replace(/\(([^()]|\([^()]*\))*\) is not/, '(…) is not');

const args = process.argv.slice(2);
const oracleAt = args.indexOf('--oracle');
const oracleCount = oracleAt >= 0 ? Number(args[oracleAt + 1]) : 0;
const directories = args.filter((_, i) => i !== oracleAt && i !== oracleAt + 1);

for (const directory of directories) {
  let output: string;
  try {
    output = execFileSync('node', ['packages/cli/bin/clickplan.js', 'inspect', directory, '--format', 'json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (error) {
    output = (error as { stdout?: string }).stdout ?? '';
  }
  if (!output) continue;
  const document = JSON.parse(output).type_inference;
  add(
    directory,
    document,
    document.not_inferable.map((c: { reason: string }) => general(c.reason)),
  );
}

if (oracleCount > 0) {
  const random = new Random(13);
  const counts = { views: 0, views_compared: 0, columns: 0, columns_inferred: 0 };
  const reasons: string[] = [];
  for (let i = 0; i < oracleCount; i++) {
    const scene = generateScene(random);
    const sql = scene.objects.map((o) => renderObject(o, { database: `oracle_${i}`, functionPrefix: `oracle${i}_` })).join(';\n');
    const schema = buildModel([{ file: `case${i}.sql`, statements: parseSql(`CREATE DATABASE oracle_${i};\n${sql}`).statements }]);
    const coverage = typeInferenceCoverage(schema.objects);
    counts.views += coverage.views;
    counts.views_compared += coverage.completeViews;
    counts.columns += coverage.columns;
    counts.columns_inferred += coverage.inferred;
    reasons.push(...coverage.notInferable.map((c) => general(c.reason)));
  }
  add(`oracle (${oracleCount} scenes)`, counts, reasons);
}

const percent = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');
console.log(
  `\ntotal: ${total.columns_inferred}/${total.columns} columns inferred (${percent(total.columns_inferred, total.columns)}), ${total.views_compared}/${total.views} views compared (${percent(total.views_compared, total.views)})`,
);
for (const [reason, count] of [...total.reasons].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${count}\t${reason}`);
