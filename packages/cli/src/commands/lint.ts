import {
  appliedMigrationsFromRegistry,
  type Diagnostic,
  diagnosticJson,
  diagnosticText,
  type FindingFix,
  judge,
  lintOptionsOf,
  lintWithSuppressed,
  loadProject,
  type Paint,
  Positions,
  type Project,
  plural,
  projectServerConfig,
  Registry,
  RULES,
  renderSarif,
  SERVER_RULES,
  type Severity,
} from '@clickplan/core';
import { Command, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import {
  type CliIo,
  CommandFailure,
  EXIT_FAILURE,
  EXIT_FINDINGS,
  type LoadedProject,
  loadAnalysis,
  openTargetOf,
  type ProjectOptions,
  paintOf,
  projectOptions,
  type TargetOptions,
  targetOptions,
} from '../context.js';

export function lintCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = projectOptions(
    new Command('lint')
      .description('rule findings for a repository or file')
      .argument('[path]', 'project directory or a .sql file', '.')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
      .addOption(
        new Option('--fail-on <severity>', 'lowest severity that fails (exit 1; default: failOn in the config, or error)').choices([
          'error',
          'warning',
          'info',
        ]),
      )
      .option('--cluster <name>', 'cluster the migrations run ON CLUSTER (default: cluster in the config)')
      .option('--base <path>', "the repository as last deployed (e.g. the pull request's base): its versioned migrations count as applied"),
  );
  // --target: read the deploy registry there; what it records as applied counts as applied.
  return targetOptions(command).action(
    async (path: string, options: ProjectOptions & TargetOptions & { format: string; failOn?: Severity; cluster?: string; base?: string }) => {
      const loaded = loadAnalysis(path, options, io);
      const { analysis, project } = loaded;
      const base = options.base ? baseProject(options.base, options, io) : undefined;
      const applied = options.target ? await registryApplied(loaded, options, io) : undefined;
      const server = serverFindings(project, options);
      const lintOptions = lintOptionsOf(project, { cluster: loaded.cluster, base, applied });
      if (server.facts) lintOptions.project = { ...lintOptions.project, server: server.facts };
      const { diagnostics: findings, fixes } = lintWithSuppressed(analysis, lintOptions);
      const diagnostics = [...analysis.diagnostics, ...findings, ...server.diagnostics];
      const texts = new Map([...project.configFiles, ...project.files, ...server.files].map((f) => [f.file, f.text]));
      io.stdout(
        renderLint(
          diagnostics,
          { ...loaded, positions: new Positions(texts) },
          options.format,
          paintOf(io),
          { texts, fixes },
          io.env?.CLICKPLAN_DOCS_URL || undefined,
        ),
      );
      const verdict = judge(diagnostics, options.failOn ?? project.config.failOn);
      if (verdict.unreadable) setExit(EXIT_FAILURE);
      else if (verdict.fails) setExit(EXIT_FINDINGS);
    },
  );
}

/** The server configuration's problems and rule findings (--server-config or `server.config`), with its files for positions. */
function serverFindings(project: Project, options: TargetOptions) {
  return projectServerConfig(project.config, options.serverConfig ? { serverConfig: options.serverConfig } : {});
}

/** The migrations the target's deploy registry records as applied (none when it has no registry yet). */
async function registryApplied(loaded: LoadedProject, options: TargetOptions, io: CliIo) {
  const { project } = loaded;
  const target = await openTargetOf(options, loaded, io);
  try {
    const state = await new Registry(target, project.config.registry, { id: 'lint', by: 'clickplan lint' }).read();
    return appliedMigrationsFromRegistry(state, project);
  } finally {
    await target.close();
  }
}

/** The base checkout (the state that was deployed): its versioned migrations count as applied. */
function baseProject(path: string, options: ProjectOptions, io: CliIo): Project {
  const base = loadProject(path, {
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.tenant ? { tenant: options.tenant } : {}),
  });
  const errors = base.diagnostics.filter((d) => d.severity === 'error');
  const positions = new Positions(new Map(base.configFiles.map((f) => [f.file, f.text])));
  for (const d of errors) io.stderr(`${diagnosticText(d, positions)}\n`);
  if (errors.length) throw new CommandFailure(`the base repository ${path} cannot be read; it must be a checkout that was deployed.`);
  return base;
}

function renderLint(
  diagnostics: Diagnostic[],
  { analysis, positions }: LoadedProject,
  format: string,
  paint: Paint,
  { texts, fixes }: { texts: Map<string, string>; fixes: ReadonlyMap<Diagnostic, readonly FindingFix[]> },
  docsBaseUrl?: string,
): string {
  if (format === 'sarif')
    return renderSarif(diagnostics, {
      version: packageJson.version,
      rules: [...RULES, ...SERVER_RULES],
      texts,
      fixes,
      ...(docsBaseUrl ? { docsBaseUrl } : {}),
    });
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  if (format === 'json')
    return `${JSON.stringify({ version: 1, diagnostics: diagnostics.map((d) => diagnosticJson(d, positions as Positions)), counts }, null, 2)}\n`;
  const lines = diagnostics.map((d) => diagnosticText(d, positions, paint));
  lines.push(
    `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'note')} in ${plural(analysis.files.length, 'file')}`,
  );
  return `${lines.join('\n')}\n`;
}
