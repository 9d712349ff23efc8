import { type CheckResult, checkProject } from '@clickplan/core';
import { Command, Option } from 'commander';
import { type CliIo, EXIT_FINDINGS, loadAnalysis, openTargetOf, type ProjectOptions, projectOptions, type TargetOptions, targetOptions } from '../context.js';

/** Bumped when the JSON document of `clickplan check` changes incompatibly (docs/deploy.md). */
export const CHECK_JSON_VERSION = 1;

const QUESTIONS = {
  migrations: 'Expected migrations applied and unchanged',
  access: 'Databases, users, roles and grants exist',
  objects: 'Managed tables and views exist as defined',
} as const;

export function checkCommand(io: CliIo, setExit: (code: number) => void): Command {
  return targetOptions(
    projectOptions(
      new Command('check')
        .description('drift: applied migrations, access (databases, users, roles, grants) and managed objects against the repository')
        .argument('[path]', 'project directory', '.')
        .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
        .option('--registry <database>', 'database of the deploy registry (default: registry in the config, clickplan)'),
    ),
  ).action(async (path: string, options: ProjectOptions & TargetOptions & { format: string; registry?: string }) => {
    const loaded = loadAnalysis(path, options, io);
    const target = await openTargetOf(options, loaded, io);
    try {
      const result = await checkProject(loaded.project, loaded.analysis, target, {
        ...(options.registry ? { registry: options.registry } : {}),
        database: loaded.target.database,
      });
      io.stdout(options.format === 'json' ? `${JSON.stringify(checkJson(result), null, 2)}\n` : renderCheckText(result));
      if (!result.ok) setExit(EXIT_FINDINGS);
    } finally {
      await target.close();
    }
  });
}

export function renderCheckText(result: CheckResult): string {
  const lines = [`Check of ${result.target} (registry ${result.registry})`];
  for (const [i, answer] of result.answers.entries()) {
    const counts = { ok: 0, missing: 0, different: 0, unknown: 0 };
    for (const item of answer.items) counts[item.status] += 1;
    const tally = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `${n} ${status}`)
      .join(', ');
    lines.push(`${i + 1}. ${QUESTIONS[answer.question]}: ${answer.ok ? 'yes' : 'no'}${tally ? ` (${tally})` : ' (nothing expected)'}`);
    for (const item of answer.items)
      if (item.status !== 'ok') lines.push(`   ${item.status.padEnd(9)} ${item.subject}${item.detail ? `: ${item.detail}` : ''}`);
  }
  for (const note of result.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

export function checkJson(result: CheckResult) {
  return { version: CHECK_JSON_VERSION, target: result.target, registry: result.registry, ok: result.ok, answers: result.answers, notes: result.notes };
}
