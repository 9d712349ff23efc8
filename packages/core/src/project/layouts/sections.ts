import type { Diagnostic, Range } from '../../diagnostics.js';
import { blankRanges, type Line, linesOf } from '../mask.js';

// goose and dbmate keep both directions in one file, switched by comment lines. Only the up
// sections are the desired state; the rest is blanked so offsets and lines stay those of the file.

/** What a line of a two-direction file is. */
export type Marker = 'up' | 'down' | 'begin' | 'end' | undefined;

export interface SectionSyntax {
  /** The annotations as messages show them: `-- +goose Up`. */
  up: string;
  down: string;
  tool: string;
  /** goose allows one up section a file; dbmate repeats up/down pairs. */
  singleUp: boolean;
  marker(line: string): Marker;
}

/** The up sections of a file, everything else blanked, and what is wrong with its annotations. */
export function selectUpSections(text: string, file: string, syntax: SectionSyntax): { value: string; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (line: Line | undefined, message: string, help: string) =>
    diagnostics.push({
      code: 'migration-annotation-invalid',
      severity: 'error',
      file,
      range: line ? { start: line.start, end: line.end } : { start: 0, end: 0 },
      message,
      help,
    });
  const blanked: Range[] = [];
  /** Where the current section began; `up` sections are kept, the others blanked. */
  let section: { direction: 'before' | 'up' | 'down'; start: number } = { direction: 'before', start: 0 };
  /** The StatementBegin line of an open block in an up section. */
  let openBlock: Line | undefined;
  let sawUp = false;
  const lines = linesOf(text);
  const hasUp = lines.some((line) => syntax.marker(line.text) === 'up');
  for (const line of lines) {
    const marker = syntax.marker(line.text);
    if (marker === undefined && section.direction === 'before' && !/^\s*(--.*)?$/.test(line.text)) {
      report(
        line,
        `This line comes before \`${syntax.up}\`: ${syntax.tool} refuses statements outside a section, and ClickPlan leaves it out.`,
        `Move it below \`${syntax.up}\`.`,
      );
    }
    if (marker === 'up' || marker === 'down') {
      if (openBlock) report(openBlock, 'This StatementBegin has no StatementEnd before the section ends.', 'Add `-- +goose StatementEnd` after the statement.');
      openBlock = undefined;
    }
    if (marker === 'up') {
      if (sawUp && syntax.singleUp)
        report(line, `A second \`${syntax.up}\`: ${syntax.tool} allows one up section a file and refuses this one.`, 'Merge the up sections into one.');
      if (section.direction !== 'up') {
        blanked.push({ start: section.start, end: line.start });
        section = { direction: 'up', start: line.start };
      }
      sawUp = true;
    } else if (marker === 'down') {
      if (!sawUp && hasUp) report(line, `\`${syntax.down}\` comes before \`${syntax.up}\`: ${syntax.tool} refuses the file.`, 'Put the up section first.');
      if (section.direction === 'up') section = { direction: 'down', start: line.start };
      else section = { direction: 'down', start: section.start };
    } else if (marker === 'begin' && section.direction === 'up') {
      if (openBlock)
        report(line, 'StatementBegin inside a block that an earlier StatementBegin opened.', 'Close the earlier block with `-- +goose StatementEnd` first.');
      openBlock = line;
    } else if (marker === 'end' && section.direction === 'up') {
      if (!openBlock) report(line, 'StatementEnd without a StatementBegin.', 'Add `-- +goose StatementBegin` before the statement, or remove this line.');
      openBlock = undefined;
    }
  }
  if (openBlock) report(openBlock, 'This StatementBegin has no StatementEnd before the file ends.', 'Add `-- +goose StatementEnd` after the statement.');
  if (section.direction !== 'up') blanked.push({ start: section.start, end: text.length });
  if (!hasUp)
    report(
      lines[0],
      `The file has no \`${syntax.up}\` line: ${syntax.tool} refuses it, and nothing in it is part of the desired state.`,
      `Add \`${syntax.up}\` above the statements that create the schema.`,
    );
  return { value: blankRanges(text, blanked), diagnostics };
}
