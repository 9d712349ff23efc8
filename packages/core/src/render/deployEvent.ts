import type { DeployEvent } from '../deploy/events.js';

// A deploy's progress as log lines, the same in the CLI's step lines and the Action's log.

/** One line for a deploy event, or undefined for events a log does not show (start, plan, verify). */
export function deployEventLine(event: DeployEvent): string | undefined {
  switch (event.kind) {
    case 'statement':
      return `[${event.index}/${event.total}] ${event.label}`;
    case 'skip':
      return `skip ${event.unit}: ${event.reason}`;
    case 'resume':
      return `resuming ${event.unit} at statement ${event.statement} of ${event.of}`;
    case 'retry':
      return `retry ${event.attempt}/${event.attempts - 1} in ${event.delayMs} ms: ${event.error}`;
    case 'ddl-timeout':
      return `${event.task} outlived distributed_ddl_task_timeout; polling the DDL queue`;
    case 'ddl-poll':
      return event.unfinished.length ? `  ${event.finished}/${event.hosts} hosts finished; waiting for ${event.unfinished.join(', ')}` : undefined;
    case 'lock-wait':
      return `waiting for the deploy lock held by ${event.holder.owner} (expires in ${event.holder.expiresIn} s)`;
    case 'lock-takeover':
      return `taking over the stale deploy lock of ${event.holder.owner} (expired ${-event.holder.expiresIn} s ago)`;
    default:
      return undefined;
  }
}
