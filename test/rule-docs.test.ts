import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import { RULES } from '../packages/core/src/rules/index.js';
import { lintAnalysis } from '../packages/core/src/rules/lint.js';
import { testRule } from '../packages/core/src/rules/ruleTester.js';
import { lintServerConfig, type ServerRule } from '../packages/core/src/rules/serverRule.js';
import { SERVER_RULES } from '../packages/core/src/rules/serverRules.js';
import { buildServerConfig } from '../packages/core/src/server/model.js';
import { readXmlConfig } from '../packages/core/src/server/xml.js';

const docsDir = new URL('../docs/rules/', import.meta.url).pathname;
const SECTIONS = ['Problem', 'Fix', 'Bad', 'Good', 'Suppress', 'Known limitations'];

interface RuleDoc {
  id: string;
  file: string;
  title: string;
  /** The text between the title and the first section. */
  summary: string;
  headings: string[];
  /** Each section's text by heading. */
  sections: Map<string, string>;
}

function readDoc(file: string): RuleDoc {
  const text = readFileSync(join(docsDir, file), 'utf8');
  const [head, ...parts] = text.split(/^## /m);
  const title = /^# (.*)$/m.exec(head)?.[1] ?? '';
  const summary = head.replace(/^# .*$/m, '').trim();
  const sections = new Map<string, string>();
  const headings: string[] = [];
  for (const part of parts) {
    const newline = part.indexOf('\n');
    const heading = part.slice(0, newline).trim();
    headings.push(heading);
    sections.set(heading, part.slice(newline + 1));
  }
  return { id: file.replace(/\.md$/, ''), file, title, summary, headings, sections };
}

/**
 * What a section's examples run with: its ```yaml options block, else the page's first one. Keys are
 * the facts `clickplan lint` passes rules (`qualifiedNames` from clickplan.yaml, `applied` from
 * --base); `file` names the example's file (default `test.sql`).
 */
function exampleSetup(doc: RuleDoc, heading: string): { file: string; options: Record<string, unknown> } {
  const blocksOf = (text: string | undefined) => [...(text ?? '').matchAll(/^```yaml options\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const [text] = [...blocksOf(doc.sections.get(heading)), ...[...doc.sections.values()].flatMap(blocksOf)];
  const { file = 'test.sql', ...options } = text ? (parseYaml(text) as Record<string, unknown>) : {};
  return { file: String(file), options };
}

/** An example as a rule test case: its file, and the deployment facts its options block gives. */
function caseOf(sql: string, { file, options }: { file: string; options: Record<string, unknown> }) {
  return { files: [{ file, text: sql }], project: options };
}

/** The ```sql blocks of a section. */
function sqlBlocks(section: string | undefined): string[] {
  return [...(section ?? '').matchAll(/^```sql\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

const docs = readdirSync(docsDir)
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .sort()
  .map(readDoc);

describe('docs/rules', () => {
  it('has one page per rule and a rule per page', () => {
    expect(docs.map((d) => d.id)).toEqual([...RULES, ...SERVER_RULES].map((r) => r.id).sort());
  });

  it('has an index (README.md) listing every rule with its severity and description', () => {
    const index = readFileSync(`${docsDir}/README.md`, 'utf8');
    const rows = [...index.matchAll(/^\| \[`([a-z0-9-]+)`\]\(\1\.md\) +\| (\w+) +\| (.+?) +\|$/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual([...RULES, ...SERVER_RULES].map((r) => [r.id, r.severity, r.docs.description]));
  });
});

/** The ```xml blocks of a section. */
function xmlBlocks(section: string | undefined): string[] {
  return [...(section ?? '').matchAll(/^```xml\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** A server rule's findings on one file that holds the whole configuration (as users.xml may). */
function lintServerExample(rule: ServerRule, text: string) {
  const { root, diagnostics } = readXmlConfig(text, 'config.xml');
  expect(diagnostics).toEqual([]);
  return lintServerConfig(buildServerConfig(root, root), [{ file: 'config.xml', text }], [rule]);
}

for (const doc of docs) {
  const serverRule = SERVER_RULES.find((r) => r.id === doc.id);
  if (serverRule)
    describe(`docs/rules/${doc.file}`, () => {
      it('is titled with the rule id, summarized in one line, and has the sections in order', () => {
        expect(doc.title).toBe(doc.id);
        expect(doc.summary).not.toBe('');
        expect(doc.summary).not.toContain('\n');
        expect(doc.headings).toEqual(SECTIONS);
      });
      const [bad, good, suppress] = ['Bad', 'Good', 'Suppress'].map((heading) => xmlBlocks(doc.sections.get(heading)));
      it('has Bad and Good examples', () => {
        expect(bad?.length).toBeGreaterThan(0);
        expect(good?.length).toBeGreaterThan(0);
      });
      for (const [i, text] of (bad ?? []).entries())
        it(`Bad #${i + 1} is reported`, () => expect(lintServerExample(serverRule, text).filter((d) => d.code === doc.id).length).toBeGreaterThan(0));
      for (const [i, text] of (good ?? []).entries()) it(`Good #${i + 1} is not reported`, () => expect(lintServerExample(serverRule, text)).toEqual([]));
      it('shows a line suppression and a file suppression', () => {
        const text = (suppress ?? []).join('\n');
        expect(text).toMatch(new RegExp(`<!-- clickplan-ignore ${doc.id}: \\S`));
        expect(text).toMatch(new RegExp(`<!-- clickplan-ignore-file ${doc.id}: \\S`));
      });
      for (const [i, text] of (suppress ?? []).entries())
        it(`Suppress #${i + 1} silences a real finding`, () => {
          const unsuppressed = text.replace(/<!-- clickplan-ignore(-file)? [^>]*-->/g, (comment) => ' '.repeat(comment.length));
          expect(lintServerExample(serverRule, unsuppressed).length).toBeGreaterThan(0);
          expect(lintServerExample(serverRule, text)).toEqual([]);
        });
    });
}

for (const doc of docs.filter((d) => !SERVER_RULES.some((r) => r.id === d.id))) {
  describe(`docs/rules/${doc.file}`, () => {
    const rule = RULES.find((r) => r.id === doc.id);

    it('is titled with the rule id, summarized in one line, and has the sections in order', () => {
      expect(doc.title).toBe(doc.id);
      expect(doc.summary).not.toBe('');
      expect(doc.summary).not.toContain('\n');
      expect(doc.headings).toEqual(SECTIONS);
    });

    it('names a rule of the registry', () => {
      expect(rule?.id).toBe(doc.id);
    });
    if (!rule) return;

    const bad = sqlBlocks(doc.sections.get('Bad'));
    const good = sqlBlocks(doc.sections.get('Good'));
    const suppress = sqlBlocks(doc.sections.get('Suppress'));
    const [badSetup, goodSetup, suppressSetup] = ['Bad', 'Good', 'Suppress'].map((heading) => exampleSetup(doc, heading));

    it('has Bad and Good examples', () => {
      expect(bad.length).toBeGreaterThan(0);
      expect(good.length).toBeGreaterThan(0);
    });

    for (const [i, sql] of bad.entries()) {
      it(`Bad #${i + 1} is reported`, () => {
        // The tester throws on syntax errors: an example must parse.
        const findings = testRule(rule, caseOf(sql, badSetup));
        // A block may hold several statements, so any number of findings above zero will do.
        expect(findings.length).toBeGreaterThan(0);
      });
    }

    for (const [i, sql] of good.entries()) {
      it(`Good #${i + 1} is not reported`, () => {
        expect(testRule(rule, caseOf(sql, goodSetup))).toEqual([]);
      });
    }

    it('shows a statement suppression and a file suppression', () => {
      const text = suppress.join('\n');
      expect(text).toMatch(new RegExp(`^-- clickplan-ignore ${doc.id}: \\S`, 'm'));
      expect(text).toMatch(new RegExp(`^-- clickplan-ignore-file ${doc.id}: \\S`, 'm'));
    });

    for (const [i, sql] of suppress.entries()) {
      it(`Suppress #${i + 1} silences a real finding`, () => {
        expect(testRule(rule, caseOf(sql, suppressSetup)).length).toBeGreaterThan(0);
        const { file, options } = suppressSetup;
        const diagnostics = lintAnalysis(analyzeFiles([{ file, text: sql }]), { only: [rule], project: options });
        expect(diagnostics.filter((d) => [rule.id, 'unused-suppression', 'suppression-invalid', 'syntax-error'].includes(d.code))).toEqual([]);
      });
    }
  });
}
