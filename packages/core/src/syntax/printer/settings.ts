import type { Expression, SettingAssignment } from '../ast.js';
import { expression, TOP } from './expressions.js';
import { quoteName } from './text.js';

/** `a = 1, b = 'x', c`: a SETTINGS list without its keyword (the keyword and parentheses differ by place). */
export function printSettings(settings: SettingAssignment[]): string {
  return settings.map((s) => (s.value ? `${quoteName(s.name.name)} = ${printSettingValue(s.value)}` : quoteName(s.name.name))).join(', ');
}

function printSettingValue(value: Expression): string {
  // `SETTINGS x = DEFAULT` resets x; the parser keeps DEFAULT as a column name.
  if (value.kind === 'ColumnRef' && value.parts.length === 1 && !value.parts[0].quoted && value.parts[0].name.toUpperCase() === 'DEFAULT') return 'DEFAULT';
  return expression(value, TOP);
}
