import { breakLock, readHolder, runningQuery } from '@clickplan/core';
import { Command } from 'commander';
import { type CliIo, CommandFailure, EXIT_FAILURE, loadAnalysis, openTargetOf, projectOptions, targetOptions } from '../context.js';

// `clickplan unlock`: releases the deploy lock whatever its holder, after showing who holds it and
// asking (on a terminal) or seeing --yes (elsewhere). For a holder that died on another machine
// before the lock expired; a holder of this machine that is gone is taken over at once anyway.

interface UnlockOptions {
  registry?: string;
  yes?: boolean;
  config?: string;
  environment?: string;
  tenant?: string;
  target?: string;
}

export function unlockCommand(io: CliIo, setExit: (code: number) => void): Command {
  return targetOptions(
    projectOptions(
      new Command('unlock')
        .description('release the deploy lock after showing its holder; asks on a terminal, --yes elsewhere')
        .argument('[path]', 'project directory', '.')
        .option('--registry <database>', 'database of the deploy registry (default: registry in the config, clickplan)')
        .option('--yes', 'release without asking'),
    ),
  ).action(async (path: string, options: UnlockOptions) => {
    const loaded = loadAnalysis(path, options, io);
    const target = await openTargetOf(options, loaded, io);
    try {
      const registry = options.registry ?? loaded.project.config.registry;
      const holder = await readHolder(target, registry);
      if (!holder) {
        io.stdout(`No deploy holds the lock of ${target.description} (registry ${registry}).\n`);
        return;
      }
      const running = await runningQuery(target, holder.token);
      const where = holder.host ? ` on ${holder.host}${holder.pid ? ` pid ${holder.pid}` : ''}` : '';
      const expiry = holder.expiresIn < 0 ? `expired ${-holder.expiresIn} s ago` : `expires in ${holder.expiresIn} s unless refreshed`;
      io.stdout(`The deploy lock of ${target.description} (registry ${registry}) is held by ${holder.owner}${where}; it ${expiry}.\n`);
      if (running) io.stdout(`Its statement ${running} still runs on the server: a deploy started now would run beside it.\n`);
      if (!options.yes) {
        if (!io.ask) throw new CommandFailure('not released: give --yes to release it (there is no terminal to ask on).');
        const answer = await io.ask('Release it? A deploy that still runs would then run beside the next one. [y/N] ');
        if (!/^y(es)?$/i.test(answer.trim())) {
          io.stdout('Not released.\n');
          setExit(EXIT_FAILURE);
          return;
        }
      }
      if (await breakLock(target, registry, holder.token)) io.stdout('Released.\n');
      else {
        io.stderr('clickplan unlock: another deploy took the lock meanwhile; run clickplan unlock again to see it.\n');
        setExit(EXIT_FAILURE);
      }
    } finally {
      await target.close();
    }
  });
}
