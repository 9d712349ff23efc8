import { diagnosticText, plural, renderGraphDot, renderGraphJson, renderGraphMermaid } from '@clickplan/core';
import { Command, Option } from 'commander';
import { type CliIo, CommandFailure, EXIT_FAILURE, loadAnalysis, type ProjectOptions, projectOptions } from '../context.js';

export function graphCommand(io: CliIo, setExit: (code: number) => void): Command {
  return projectOptions(
    new Command('graph')
      .description('dependency graph of a repository: what reads, triggers, writes and looks up what')
      .argument('[path]', 'project directory or a .sql file', '.')
      .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot', 'json']).default('mermaid'))
      .option('--object <name>', 'only this object (db.name) and everything upstream and downstream of it'),
  ).action((path: string, options: ProjectOptions & { format: string; object?: string }) => {
    const { analysis, positions } = loadAnalysis(path, options, io);
    const { graph, diagnostics } = analysis;
    if (options.object && !graph.objects.has(options.object))
      throw new CommandFailure(`\`${options.object}\` is not an object of this repository; name it as db.name, as inspect lists it.`);
    const render = { mermaid: renderGraphMermaid, dot: renderGraphDot, json: renderGraphJson }[options.format as 'mermaid' | 'dot' | 'json'];
    io.stdout(render(graph, { focus: options.object }));
    // The graph is still drawn, but it lacks what the broken statements define: say which and why.
    const syntaxErrors = diagnostics.filter((d) => d.code === 'syntax-error');
    for (const d of syntaxErrors) io.stderr(`${diagnosticText(d, positions)}\n`);
    if (syntaxErrors.length) {
      io.stderr(
        `clickplan graph: ${plural(syntaxErrors.length, 'syntax error')}: the graph leaves out what those statements define; fix them and run it again.\n`,
      );
      setExit(EXIT_FAILURE);
    }
  });
}
