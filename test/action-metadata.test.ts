import { readdirSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// action.yml and the example workflows, checked offline by GitHub's own parser for them
// (@actions/workflow-parser), and kept in step with the code and docs/action.md.

// The parser imports its JSON schemas without `with { type: 'json' }`, which plain Node refuses: a
// loader hook adds the attribute before the parser is imported.
register(
  `data:text/javascript,${encodeURIComponent(
    "export async function load(url, context, next) { return next(url, url.endsWith('.json') ? { ...context, importAttributes: { ...context.importAttributes, type: 'json' } } : context); }",
  )}`,
);
const { convertActionTemplate, parseAction } = await import('@actions/workflow-parser/actions/index');
const { NoOperationTraceWriter, parseWorkflow } = await import('@actions/workflow-parser');

const ACTION_FILE = 'action.yml';
const EXAMPLES = 'docs/examples';
const source = readdirSync('packages/action/src')
  .map((f) => readFileSync(join('packages/action/src', f), 'utf8'))
  .join('\n');
const docs = readFileSync('docs/action.md', 'utf8');

function errorsOf(result: ReturnType<typeof parseAction>): string[] {
  return result.context.errors.getErrors().map((e) => e.message);
}

describe('action.yml', () => {
  const result = parseAction({ name: ACTION_FILE, content: readFileSync(ACTION_FILE, 'utf8') }, new NoOperationTraceWriter());
  const template = convertActionTemplate(result.context, result.value as NonNullable<typeof result.value>);

  it('is valid action metadata for the current Node runtime of JavaScript actions, with branding', () => {
    expect(errorsOf(result)).toEqual([]);
    expect(template.runs).toEqual({ using: 'node24', main: 'packages/action/dist/index.js' });
    expect(template.branding).toEqual({ icon: 'database', color: 'yellow' });
  });

  it('describes every input and output, and docs/action.md documents each', () => {
    for (const item of [...(template.inputs ?? []), ...(template.outputs ?? [])]) {
      expect(item.description, item.id).toMatch(/\w{3,}/);
      expect(docs, `docs/action.md says nothing about \`${item.id}\``).toContain(`\`${item.id}\``);
    }
  });

  it('has exactly the inputs the code reads and the outputs it sets', () => {
    const read = [...source.matchAll(/(?:optional|getMultilineInput)\('([a-z-]+)'\)/g)].map((m) => m[1]);
    const set = [...source.matchAll(/setOutput\('([a-z-]+)'/g)].map((m) => m[1]);
    expect([...new Set(read)].sort()).toEqual((template.inputs ?? []).map((i) => i.id).sort());
    expect([...new Set(set)].sort()).toEqual((template.outputs ?? []).map((o) => o.id).sort());
  });
});

describe('the example workflows', () => {
  const inputs = new Set(Object.keys((parse(readFileSync(ACTION_FILE, 'utf8')) as { inputs: Record<string, unknown> }).inputs));
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yml'));

  it('are the review, monorepo review and deploy workflows', () => {
    expect(files.sort()).toEqual(['deploy.yml', 'review-monorepo.yml', 'review.yml']);
  });

  for (const file of files) {
    it(`${file} is a valid workflow that gives ClickPlan only inputs it has`, () => {
      const content = readFileSync(join(EXAMPLES, file), 'utf8');
      const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
      expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
      const steps = Object.values((parse(content) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }> }).jobs).flatMap(
        (job) => job.steps,
      );
      const clickplan = steps.filter((s) => s.uses?.startsWith('clickplan/clickplan@'));
      expect(clickplan.length).toBeGreaterThan(0);
      for (const step of clickplan) for (const name of Object.keys(step.with ?? {})) expect(inputs, `${file}: ${name}`).toContain(name);
    });
  }
});
