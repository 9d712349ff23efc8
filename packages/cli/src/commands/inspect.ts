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
    const { analysis } = loadAnalysis(path, options, io);
    io.stdout(options.format === 'json' ? renderInspectJson(analysis) : renderInspectText(analysis));
    setExit(exitCodeOf(analysis.diagnostics));
  });
}
