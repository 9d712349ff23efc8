import { renderInspectJson, renderInspectText } from '@clickplan/core';
import { Command, Option } from 'commander';
import { type CliIo, exitCodeOf, loadAnalysis, type ProjectOptions, projectOptions } from '../context.js';

export function inspectCommand(io: CliIo, setExit: (code: number) => void): Command {
  return projectOptions(
    new Command('inspect')
      .description('objects, dependencies, hashes and diagnostics of a repository or file')
      .argument('[path]', 'project directory or a .sql file', '.')
      .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('text')),
  ).action((path: string, options: ProjectOptions & { format: string }) => {
    const { analysis, project } = loadAnalysis(path, options, io, { showsWarnings: true });
    const context = { layout: project.layout, projectDiagnostics: project.diagnostics };
    io.stdout(options.format === 'json' ? renderInspectJson(analysis, context) : renderInspectText(analysis, context));
    setExit(exitCodeOf(analysis.diagnostics));
  });
}
