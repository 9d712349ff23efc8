// A rule's options schema (ESLint's `meta.schema`, a small typed subset of JSON Schema): one entry
// per option, so that a value from clickplan.yaml is checked before a rule reads it.

/** The schema of one option. */
export type OptionSchema =
  | { type: 'boolean'; description: string }
  | { type: 'number'; description: string; minimum?: number; integer?: boolean }
  | { type: 'string'; description: string; enum?: readonly string[] }
  | { type: 'string[]'; description: string };

/** An entry per option of `Options`, each with its type and what it means. */
export type OptionsSchema<Options> = { [K in keyof Options]-?: OptionSchema };

/** One thing wrong with a rule's options: the option it is about (none when the whole value is wrong) and a sentence. */
export interface OptionProblem {
  option?: string;
  message: string;
}

/**
 * What is wrong with `value` as options of a rule with `schema`: unknown keys and values of the wrong
 * type, each a sentence naming the option. Empty when it is valid.
 */
export function optionProblems(ruleId: string, schema: OptionsSchema<unknown> | undefined, value: unknown): string[] {
  return optionIssues(ruleId, schema, value).map((problem) => problem.message);
}

/** `optionProblems` with the option each problem is about, so a configuration error can point at it. */
export function optionIssues(ruleId: string, schema: OptionsSchema<unknown> | undefined, value: unknown): OptionProblem[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ message: `The options of \`${ruleId}\` must be a map of option names to values.` }];
  const entries = (schema ?? {}) as Record<string, OptionSchema>;
  const problems: OptionProblem[] = [];
  for (const [key, option] of Object.entries(value as Record<string, unknown>)) {
    const expected = entries[key];
    if (!expected) {
      const known = Object.keys(entries);
      problems.push({
        option: key,
        message: `\`${ruleId}\` has no option \`${key}\`${known.length ? `; it takes ${known.map((k) => `\`${k}\``).join(', ')}` : '; it takes none'}.`,
      });
      continue;
    }
    const problem = typeProblem(expected, option);
    if (problem) problems.push({ option: key, message: `\`${ruleId}\` option \`${key}\` ${problem}.` });
  }
  return problems;
}

function typeProblem(schema: OptionSchema, value: unknown): string | undefined {
  switch (schema.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (schema.integer && !Number.isInteger(value)) return 'must be a whole number';
      return schema.minimum !== undefined && value < schema.minimum ? `must be at least ${schema.minimum}` : undefined;
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      return schema.enum && !schema.enum.includes(value) ? `must be one of ${schema.enum.join(', ')}` : undefined;
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : 'must be a list of strings';
  }
}
