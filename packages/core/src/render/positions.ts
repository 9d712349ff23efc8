import type { Diagnostic, Range } from '../diagnostics.js';
import { LineIndex } from '../syntax/lineIndex.js';
import { noColor, type Paint } from './color.js';

/** 1-based line and column, as editors and CI logs show them. */
export interface LineColumn {
  line: number;
  column: number;
}

/** Converts offsets to 1-based positions, building each file's LineIndex once. */
export class Positions {
  private readonly indexes = new Map<string, LineIndex>();

  constructor(private readonly texts: Map<string, string>) {}

  /** Whether the file's text is known: diagnostics about a path that could not be read have no line. */
  has(file: string): boolean {
    return this.texts.has(file);
  }

  at(file: string, offset: number): LineColumn {
    let index = this.indexes.get(file);
    if (!index) {
      index = new LineIndex(this.texts.get(file) ?? '');
      this.indexes.set(file, index);
    }
    const position = index.positionAt(offset);
    return { line: position.line + 1, column: position.column + 1 };
  }

  range(file: string, range: Range): { start: LineColumn; end: LineColumn } {
    return { start: this.at(file, range.start), end: this.at(file, range.end) };
  }
}

/** A diagnostic as JSON output carries it: positions instead of offsets. */
export function diagnosticJson(diagnostic: Diagnostic, positions: Positions) {
  const { start, end } = positions.range(diagnostic.file, diagnostic.range);
  return {
    code: diagnostic.code,
    severity: diagnostic.severity,
    file: diagnostic.file,
    line: start.line,
    column: start.column,
    end_line: end.line,
    end_column: end.column,
    message: diagnostic.message,
    ...(diagnostic.help ? { help: diagnostic.help } : {}),
  };
}

/** `file:line:column: severity code: message` and the help on the next line. */
export function diagnosticText(diagnostic: Diagnostic, positions: Positions, paint: Paint = noColor): string {
  const { line, column } = positions.at(diagnostic.file, diagnostic.range.start);
  const help = diagnostic.help ? `\n  help: ${diagnostic.help}` : '';
  const where = positions.has(diagnostic.file) ? `${diagnostic.file}:${line}:${column}` : diagnostic.file;
  return `${where}: ${paint(diagnostic.severity, diagnostic.severity)} ${diagnostic.code}: ${diagnostic.message}${help}`;
}
