/**
 * A count with its noun, singular for one: `1 error`, `3 errors`, `1 dependency` (the plural form
 * given when it is not the noun plus `s`).
 */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : pluralNoun}`;
}
