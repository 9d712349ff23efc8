import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../inspect/analyze.js';
import type { SyntaxKind } from '../syntax/nodes.js';
import { RULES } from './index.js';
import { lintAnalysis, lintWithSuppressed } from './lint.js';
import { defineRule, fillPlaceholders, type Placeholders } from './rule.js';
import { testRule } from './ruleTester.js';

// The engine itself: listeners by node kind on one walk, the project hook, options checked against
// a schema, typed message data, and a rule that throws costing only its own findings.

const SQL = `CREATE TABLE t (a UInt8, b String DEFAULT lower('X')) ENGINE = MergeTree ORDER BY a;
ALTER TABLE t UPDATE b = upper(b) WHERE a = 1, DELETE WHERE a = 2;
DELETE FROM t WHERE a = 3;
`;

/** Records what its listeners and its hook see, in order. */
function recorder(kinds: SyntaxKind[], seen: string[]) {
  return defineRule({
    id: 'test-recorder',
    severity: 'info',
    docs: { description: 'Records.' },
    messages: { seen: { message: '{kind} at {index}', help: 'Nothing.' } },
    create(context) {
      const listeners: Record<string, (node: { kind: string; start: number; end: number }, at: { index: number; file: string }) => void> = {};
      for (const kind of kinds)
        listeners[kind] = (node, at) => {
          seen.push(`${node.kind}@${at.index}`);
          context.report({ file: at.file, node, messageId: 'seen', data: { kind: node.kind, index: at.index } });
        };
      return listeners;
    },
    check() {
      seen.push('check');
    },
  });
}

describe('rule engine', () => {
  it('calls listeners for statements and for nodes below them, in source order, then the project hook', () => {
    const seen: string[] = [];
    const rule = recorder(['AlterTable', 'Delete', 'FunctionCall'], seen);
    const findings = testRule(rule, { sql: SQL });
    // `Delete` is the kind of an ALTER command and of a DELETE statement: both are found.
    expect(seen).toEqual(['FunctionCall@0', 'AlterTable@1', 'FunctionCall@1', 'Delete@1', 'Delete@2', 'check']);
    expect(findings.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([
      '1:43 FunctionCall at 0',
      '2:1 AlterTable at 1',
      '2:26 FunctionCall at 1',
      '2:48 Delete at 1',
      '3:1 Delete at 2',
    ]);
  });

  it('calls `Statement` for every statement before the listeners of its kind, and ALTER commands after their statement', () => {
    const seen: string[] = [];
    const rule = defineRule({
      id: 'test-statements',
      severity: 'info',
      docs: { description: 'Records.' },
      messages: {},
      create: () => ({
        Statement: (statement, { index }) => void seen.push(`Statement ${statement.kind}@${index}`),
        AlterTable: (_, { index }) => void seen.push(`AlterTable@${index}`),
        Update: (_, { index }) => void seen.push(`Update@${index}`),
      }),
    });
    testRule(rule, { sql: SQL });
    expect(seen).toEqual(['Statement CreateTable@0', 'Statement AlterTable@1', 'AlterTable@1', 'Update@1', 'Statement Delete@2']);
  });

  it('keeps quick fixes in the rules that find the problems: editor/fixes.ts names no rule id', () => {
    const text = readFileSync(new URL('../editor/fixes.ts', import.meta.url), 'utf8');
    expect(RULES.filter((rule) => text.includes(`'${rule.id}'`)).map((rule) => rule.id)).toEqual([]);
  });

  it('walks below the statements for a kind that is both a statement and an ALTER command', () => {
    const seen: string[] = [];
    testRule(recorder(['CreateTable', 'Delete'], seen), { sql: SQL });
    expect(seen).toEqual(['CreateTable@0', 'Delete@1', 'Delete@2', 'check']);
  });

  it('keeps project facts apart from rule options, and checks options against the schema', () => {
    const seen: unknown[] = [];
    const rule = defineRule({
      id: 'test-options',
      severity: 'info',
      docs: { description: 'Reads its options.' },
      messages: { never: { message: 'Never.', help: 'Nothing.' } },
      schema: { limit: { type: 'number', description: 'A limit.', minimum: 1, integer: true } },
      defaultOptions: { limit: 3 },
      check(context) {
        seen.push({ options: context.options, cluster: context.project.cluster });
      },
    });
    const analysis = analyzeFiles([{ file: 'a.sql', text: SQL }]);
    lintAnalysis(analysis, { only: [rule], project: { cluster: 'main' } });
    lintAnalysis(analysis, { only: [rule], ruleOptions: { 'test-options': { limit: 5 } } });
    expect(seen).toEqual([
      { options: { limit: 3 }, cluster: 'main' },
      { options: { limit: 5 }, cluster: undefined },
    ]);
    expect(() => lintAnalysis(analysis, { only: [rule], ruleOptions: { 'test-options': { limit: 0.5 } } })).toThrow(
      '`test-options` option `limit` must be a whole number.',
    );
    expect(() => lintAnalysis(analysis, { only: [rule], ruleOptions: { 'test-options': { cluster: 'main' } } })).toThrow(
      '`test-options` has no option `cluster`; it takes `limit`.',
    );
  });

  it('with onRuleError, a rule that throws keeps its findings so far, runs no further, and costs no other rule anything', () => {
    const failing = defineRule({
      id: 'test-failing',
      severity: 'warning',
      docs: { description: 'Throws on its second statement.' },
      messages: { one: { message: 'Statement {index}.', help: 'Nothing.' } },
      create(context) {
        return {
          CreateTable(node, at) {
            context.report({ file: at.file, node, messageId: 'one', data: { index: at.index } });
          },
          AlterTable() {
            throw new Error('broken');
          },
          Delete(node, at) {
            context.report({ file: at.file, node, messageId: 'one', data: { index: at.index } });
          },
        };
      },
    });
    const seen: string[] = [];
    const errors: string[] = [];
    const { diagnostics } = lintWithSuppressed(analyzeFiles([{ file: 'a.sql', text: SQL }]), {
      only: [failing, recorder(['Delete'], seen)],
      onRuleError: (rule, error) => errors.push(`${rule}: ${(error as Error).message}`),
    });
    expect(errors).toEqual(['test-failing: broken']);
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['test-failing Statement 0.', 'test-recorder Delete at 1', 'test-recorder Delete at 2']);
    expect(() => lintAnalysis(analyzeFiles([{ file: 'a.sql', text: SQL }]), { only: [failing] })).toThrow('broken');
  });

  it('gives each rule its docs page', () => {
    expect(recorder([], []).docs.url).toBe('https://github.com/clickplan/clickplan/blob/main/docs/rules/test-recorder.md');
  });

  it('fills placeholders, and writes an escaped one as text', () => {
    expect(fillPlaceholders('`{table}` has no `\\{shard}` macro in {{path}}', { table: 't', path: '/p', shard: 'x' })).toBe(
      '`t` has no `{shard}` macro in {/p}',
    );
  });

  it('types message data by the placeholders of the message and its help', () => {
    const placeholders: Placeholders<'`{table}` has no `\\{shard}` macro: {{path}}'>[] = ['table', 'path'];
    // @ts-expect-error: `shard` is escaped, so it is no placeholder.
    const escaped: Placeholders<'`\\{shard}`'> = 'shard';
    expect([placeholders, escaped]).toEqual([['table', 'path'], 'shard']);
    defineRule({
      id: 'test-typed',
      severity: 'info',
      docs: { description: 'Reports with typed data.' },
      messages: { named: { message: '`{table}` is {what}.', help: 'Check {table}.' }, plain: { message: 'Plain.', help: 'Nothing.' } },
      create(context) {
        return {
          CreateTable(node, { file }) {
            context.report({ file, node, messageId: 'named', data: { table: 't', what: 'there' } });
            context.report({ file, node, messageId: 'plain' });
            // @ts-expect-error: `what` is missing.
            context.report({ file, node, messageId: 'named', data: { table: 't' } });
            // @ts-expect-error: no such message.
            context.report({ file, node, messageId: 'other' });
          },
        };
      },
    });
  });
});
