// The pull request comment of the demo, made by the Action's own review code (not a copy of it):
// the pull request's project is planned against the target, with the base branch's copy of the
// project as what was deployed, and the comment is written as Markdown and as HTML.
//
//   node --import tsx scripts/demo-comment.ts <head project> <base copy root> <head top> <target> <out dir>

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { DOCS_BASE_URL, renderReviewComment, verdictLine } from '@clickplan/core';
import type { ActionInputs } from '../packages/action/src/inputs.js';
import { reviewProject } from '../packages/action/src/review.js';

const [project, baseRoot, top, target, out] = process.argv.slice(2);
if (!project || !baseRoot || !top || !target || !out) {
  process.stderr.write('usage: demo-comment.ts <head project> <base copy root> <head top> <target> <out dir>\n');
  process.exit(2);
}

/** Repository-relative paths of the files the pull request changed: those in the head missing or different in the base. */
function changedFiles(): Set<string> {
  const changed = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const name = relative(top, path).replace(/\\/g, '/');
        let before: string | undefined;
        try {
          before = readFileSync(join(baseRoot, name), 'utf8');
        } catch {
          before = undefined;
        }
        if (before !== readFileSync(path, 'utf8')) changed.add(name);
      }
    }
  };
  walk(resolve(project));
  return changed;
}

const inputs: ActionInputs = {
  mode: 'review',
  paths: [project],
  comment: false,
  reportDir: out,
  checkName: 'ClickPlan',
  docsUrl: DOCS_BASE_URL,
  target,
};
const base = { sha: 'demo-base', root: resolve(baseRoot), top: resolve(top), changed: changedFiles(), cleanup: () => undefined };
const { report } = await reviewProject(project, { inputs, env: {}, base });
const shown = { ...report, against: `${report.against}, deployed from the base branch` };
const markdown = renderReviewComment(shown);
mkdirSync(out, { recursive: true });
const markdownFile = join(out, 'pr-comment.md');
const htmlFile = join(out, 'pr-comment.html');
writeFileSync(markdownFile, markdown);
writeFileSync(htmlFile, commentHtml(markdown));
// The verdict as the comment's first line says it, then where the whole comment is.
process.stdout.write(`${verdictLine(shown).replace(/\*\*|`/g, '')}\n  Markdown: ${markdownFile}\n  HTML:     ${htmlFile}\n`);

/**
 * The comment as a page that looks like a GitHub comment: markdown-it renders the Markdown (HTML
 * allowed, as GitHub allows <details>), GitHub's colours and fonts come from a short style sheet.
 * GitHub draws the Mermaid diagram; here its source is shown.
 */
function commentHtml(text: string): string {
  const MarkdownIt = createRequire(import.meta.url)('markdown-it') as new (options: object) => { render(text: string): string };
  const body = new MarkdownIt({ html: true, linkify: true }).render(text);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ClickPlan pull request comment</title>
<style>
  body { margin: 0; padding: 24px; background: #f6f8fa; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
  .comment { max-width: 920px; margin: 0 auto; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
  .header { padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d1d9e0; border-radius: 6px 6px 0 0; color: #59636e; }
  .header strong { color: #1f2328; }
  .body { padding: 16px; }
  .body > :first-child { margin-top: 0; }
  h1, h2, h3 { border-bottom: 1px solid #d1d9e0b3; padding-bottom: .3em; font-weight: 600; }
  h3 { font-size: 1.25em; border: 0; }
  table { border-collapse: collapse; margin: 16px 0; display: block; overflow: auto; }
  th, td { border: 1px solid #d1d9e0; padding: 6px 13px; text-align: left; vertical-align: top; }
  tr:nth-child(2n) { background: #f6f8fa; }
  code { font: 85% ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, monospace; background: #818b981f; padding: .2em .4em; border-radius: 6px; }
  pre { background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; }
  pre code { background: none; padding: 0; }
  details { margin: 8px 0; }
  summary { cursor: pointer; }
  a { color: #0969da; text-decoration: none; }
  sub { color: #59636e; }
</style>
</head>
<body>
<div class="comment">
<div class="header"><strong>github-actions</strong> <span>bot</span> commented</div>
<div class="body">
${body}
</div>
</div>
</body>
</html>
`;
}
