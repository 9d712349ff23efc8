import {
  type Analysis,
  analyzeFiles,
  type Diagnostic,
  diagnosticJson,
  diagnosticText,
  lintAnalysis,
  Positions,
  RULES,
  readSqlFiles,
  renderGraphDot,
  renderGraphJson,
  renderGraphMermaid,
  renderInspectJson,
  renderInspectText,
  renderSarif,
  type Severity,
} from '@clickplan/core';
import { Command, CommanderError, Option } from 'commander';
import packageJson from '../package.json' with { type: 'json' };

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const EXIT_OK = 0;
/** Findings or drift at or above the failing severity. */
export const EXIT_FINDINGS = 1;
/** Usage, configuration, connection or parse failure. */
export const EXIT_FAILURE = 2;

/** Runs `clickplan` with the given arguments (without `node` and the script) and returns the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('clickplan')
    .description('Review ClickHouse schema-as-code: parse, model, plan and deploy migrations.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  program
    .command('inspect')
    .description('objects, dependencies, hashes and diagnostics of a repository or file')
    .argument('[path]', 'directory of migrations or a .sql file', '.')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('text'))
    .option('--database <name>', 'database that unqualified names resolve to', process.env.CLICKHOUSE_DATABASE || 'default')
    .action((path: string, options: { format: string; database: string }) => {
      const files = readSqlFiles(path);
      if (files.diagnostics.length) {
        exitCode = reportFailure(files.diagnostics, io);
        return;
      }
      const analysis = analyzeFiles(files.value, { defaultDatabase: options.database });
      io.stdout(options.format === 'json' ? renderInspectJson(analysis) : renderInspectText(analysis));
      exitCode = exitCodeOf(analysis);
    });

  program
    .command('graph')
    .description('dependency graph of a repository: what reads, triggers, writes and looks up what')
    .argument('[path]', 'directory of migrations or a .sql file', '.')
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot', 'json']).default('mermaid'))
    .option('--object <name>', 'only this object (db.name) and everything upstream and downstream of it')
    .option('--database <name>', 'database that unqualified names resolve to', process.env.CLICKHOUSE_DATABASE || 'default')
    .action((path: string, options: { format: string; object?: string; database: string }) => {
      const files = readSqlFiles(path);
      if (files.diagnostics.length) {
        exitCode = reportFailure(files.diagnostics, io);
        return;
      }
      const { graph, diagnostics } = analyzeFiles(files.value, { defaultDatabase: options.database });
      if (options.object && !graph.objects.has(options.object)) {
        io.stderr(`clickplan graph: \`${options.object}\` is not an object of this repository; name it as db.name, as inspect lists it.\n`);
        exitCode = EXIT_FAILURE;
        return;
      }
      const render = { mermaid: renderGraphMermaid, dot: renderGraphDot, json: renderGraphJson }[options.format as 'mermaid' | 'dot' | 'json'];
      io.stdout(render(graph, { focus: options.object }));
      if (diagnostics.some((d) => d.code === 'syntax-error')) exitCode = EXIT_FAILURE;
    });

  program
    .command('lint')
    .description('rule findings for a repository or file')
    .argument('[path]', 'directory of migrations or a .sql file', '.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails (exit 1)').choices(['error', 'warning', 'info']).default('error'))
    .option('--database <name>', 'database that unqualified names resolve to', process.env.CLICKHOUSE_DATABASE || 'default')
    .option('--cluster <name>', 'cluster the migrations run ON CLUSTER (cluster rules read it)')
    .action((path: string, options: { format: string; failOn: Severity; database: string; cluster?: string }) => {
      const files = readSqlFiles(path);
      if (files.diagnostics.length) {
        exitCode = reportFailure(files.diagnostics, io);
        return;
      }
      const analysis = analyzeFiles(files.value, { defaultDatabase: options.database });
      const project = options.cluster ? { cluster: options.cluster } : {};
      const diagnostics = [...analysis.diagnostics, ...lintAnalysis(analysis, { project })];
      io.stdout(renderLint(diagnostics, analysis, options.format));
      if (diagnostics.some((d) => d.code === 'syntax-error')) exitCode = EXIT_FAILURE;
      else if (diagnostics.some((d) => SEVERITY_RANK[d.severity] >= SEVERITY_RANK[options.failOn])) exitCode = EXIT_FINDINGS;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_FAILURE;
    throw error;
  }
  return exitCode;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function renderLint(diagnostics: Diagnostic[], analysis: Analysis, format: string): string {
  const texts = new Map(analysis.files.map((f) => [f.file, f.text]));
  if (format === 'sarif') return renderSarif(diagnostics, { version: packageJson.version, rules: RULES, texts });
  const positions = new Positions(texts);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  if (format === 'json') return `${JSON.stringify({ version: 1, diagnostics: diagnostics.map((d) => diagnosticJson(d, positions)), counts }, null, 2)}\n`;
  const lines = diagnostics.map((d) => diagnosticText(d, positions));
  lines.push(`${counts.error} errors, ${counts.warning} warnings, ${counts.info} notes in ${analysis.files.length} files`);
  return `${lines.join('\n')}\n`;
}

/** Syntax errors make the input unreadable (2); model errors are findings about it (1). */
function exitCodeOf(analysis: Analysis): number {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.some((d) => d.code === 'syntax-error')) return EXIT_FAILURE;
  return errors.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

function reportFailure(diagnostics: Diagnostic[], io: CliIo): number {
  const positions = new Positions(new Map());
  for (const d of diagnostics) io.stderr(`${diagnosticText(d, positions).replace(/:1:1:/, ':')}\n`);
  return EXIT_FAILURE;
}
