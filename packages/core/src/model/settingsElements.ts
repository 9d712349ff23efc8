import { lexSql } from '../syntax/lexer.js';

// The SETTINGS clause of a user, role or settings profile as ClickHouse keeps it: a list of
// elements, each a parent profile (`PROFILE 'p'`, `INHERIT 'p'`) or a setting with its value and
// constraints (`max_threads = 4 MIN 1 MAX 8 READONLY`), and how `ALTER ... ADD|MODIFY|DROP
// SETTINGS`, `ADD|DROP PROFILES` and `DROP ALL SETTINGS|PROFILES` change it. Follows ClickHouse's
// SettingsProfileElements::applyChanges and normalize (src/Access/SettingsProfileElement.cpp):
// drops first, then additions, then modifications; profiles before settings, a profile kept at
// its last position, a setting at its first with later fields merged into it.

interface ProfileElement {
  /** `PROFILE` or `INHERIT`, as written. */
  keyword: string;
  /** The profile's name as written (a string or a name). */
  profile: string;
}

interface SettingElement {
  name: string;
  value?: string;
  min?: string;
  max?: string;
  writability?: string;
}

type Element = ProfileElement | SettingElement;

const isProfile = (element: Element): element is ProfileElement => 'profile' in element;
const WRITABILITY = new Set(['CONST', 'READONLY', 'WRITABLE', 'CHANGEABLE_IN_READONLY']);

/** The words of a text, each with its source spelling; commas and parentheses kept as words. */
function words(text: string): string[] {
  return lexSql(text)
    .filter((t) => t.kind !== 'Whitespace' && t.kind !== 'Comment' && t.kind !== 'EndOfInput')
    .map((t) => text.slice(t.start, t.end));
}

/** The elements of a list (`a = 1, PROFILE 'p', b MAX 2`), split at the commas outside parentheses. */
function elementsOf(list: string[]): Element[] {
  const parts: string[][] = [[]];
  let depth = 0;
  for (const word of list) {
    if (word === '(' || word === '[') depth++;
    if (word === ')' || word === ']') depth--;
    if (word === ',' && depth === 0) parts.push([]);
    else parts[parts.length - 1].push(word);
  }
  return parts.filter((p) => p.length > 0).map(elementOf);
}

function elementOf(part: string[]): Element {
  const head = part[0].toUpperCase();
  if ((head === 'PROFILE' || head === 'INHERIT') && part.length === 2) return { keyword: head, profile: part[1] };
  const element: SettingElement = { name: part[0] };
  let field: 'value' | 'min' | 'max' = 'value';
  const values: Record<string, string[]> = { value: [], min: [], max: [] };
  for (const word of part.slice(1)) {
    const upper = word.toUpperCase();
    if (upper === 'MIN' || upper === 'MAX') field = upper === 'MIN' ? 'min' : 'max';
    else if (WRITABILITY.has(upper)) element.writability = upper;
    else if (word === '=' && values[field].length === 0) continue;
    else values[field].push(word);
  }
  for (const key of ['value', 'min', 'max'] as const) if (values[key].length > 0) element[key] = joinWords(values[key]);
  return element;
}

/** Words joined back: no space around parentheses and before commas. */
function joinWords(list: string[]): string {
  return list
    .join(' ')
    .replace(/\s*([(),[\]])\s*/g, (_, p: string) => (p === ',' ? ', ' : p))
    .trim();
}

/** The name a profile element names, without its quotes: `'p'` and `p` are one profile. */
const profileName = (profile: string) => profile.replace(/^['`"]|['`"]$/g, '');

function printElement(element: Element): string {
  if (isProfile(element)) return `${element.keyword} ${element.profile}`;
  let text = element.name;
  if (element.value !== undefined) text += ` = ${element.value}`;
  if (element.min !== undefined) text += ` MIN ${element.min}`;
  if (element.max !== undefined) text += ` MAX ${element.max}`;
  if (element.writability) text += ` ${element.writability}`;
  return text;
}

/** Profiles first (each at its last position), then settings (each at its first, later fields merged in). */
function normalized(elements: Element[]): Element[] {
  const profiles = elements.filter(isProfile);
  const keptProfiles = profiles.filter((p, i) => !profiles.slice(i + 1).some((q) => profileName(q.profile) === profileName(p.profile)));
  const settings = new Map<string, SettingElement>();
  for (const element of elements) {
    if (isProfile(element)) continue;
    const first = settings.get(element.name);
    if (!first) settings.set(element.name, { ...element });
    else for (const key of ['value', 'min', 'max', 'writability'] as const) if (element[key] !== undefined) first[key] = element[key];
  }
  return [...keptProfiles, ...settings.values()];
}

/**
 * The SETTINGS clause (`SETTINGS ...`, or undefined for none) after an ALTER's setting changes:
 * `changes` are the texts of its `ADD|MODIFY|DROP SETTINGS`, `ADD|DROP PROFILES` and `DROP ALL
 * SETTINGS|PROFILES` clauses.
 */
export function alteredSettings(current: string | undefined, changes: readonly string[]): string | undefined {
  let elements = current ? elementsOf(words(current).slice(1)) : [];
  const drops: Element[] = [];
  const adds: Element[] = [];
  const modifies: Element[] = [];
  let dropAllSettings = false;
  let dropAllProfiles = false;
  for (const change of changes) {
    const list = words(change);
    const [verb, second, third] = list.map((w) => w.toUpperCase());
    if (verb === 'DROP' && second === 'ALL') {
      if (third === 'SETTINGS' || third === 'SETTING') dropAllSettings = true;
      else dropAllProfiles = true;
      continue;
    }
    const rest = list.slice(2);
    const asProfiles = second === 'PROFILES' || second === 'PROFILE';
    const items: Element[] = asProfiles
      ? elementsOf(rest).map((e) => ({ keyword: 'PROFILE', profile: isProfile(e) ? e.profile : e.name }))
      : verb === 'DROP'
        ? elementsOf(rest).map((e) => (isProfile(e) ? e : { name: e.name }))
        : elementsOf(rest);
    (verb === 'DROP' ? drops : verb === 'ADD' ? adds : modifies).push(...items);
  }
  if (dropAllProfiles) elements = elements.filter((e) => !isProfile(e));
  if (dropAllSettings) elements = elements.filter(isProfile);
  const dropSetting = (name: string) => {
    elements = elements.filter((e) => isProfile(e) || e.name !== name);
  };
  for (const drop of drops)
    if (isProfile(drop)) elements = elements.filter((e) => !isProfile(e) || profileName(e.profile) !== profileName(drop.profile));
    else dropSetting(drop.name);
  for (const add of adds) {
    if (isProfile(add)) {
      elements.push({ keyword: elements.find(isProfile)?.keyword ?? add.keyword, profile: add.profile });
      continue;
    }
    // ADD SETTING replaces the value and the constraints of the setting.
    dropSetting(add.name);
    elements.push(add);
  }
  for (const modify of modifies) if (!isProfile(modify)) elements.push(modify);
  const result = normalized(elements);
  return result.length === 0 ? undefined : `SETTINGS ${result.map(printElement).join(', ')}`;
}

/** Whether an ALTER clause changes part of the SETTINGS list rather than restating it. */
export function isSettingsChange(clause: { keyword: string; text: string }): boolean {
  return clause.keyword === 'SETTINGS' && /^\s*(ADD|MODIFY|DROP)\b/i.test(clause.text);
}
