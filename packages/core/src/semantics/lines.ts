/** The entries of a generated template literal: one per line, fields split by `separator`. */
export function entriesOf(text: string, separator: string | RegExp = ' '): string[][] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(separator));
}
