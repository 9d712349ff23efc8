import { parseNameOrString } from './accessNames.js';
import type { Identifier, Literal, SettingAssignment } from './ast.js';
import { isStringToken, parseString } from './literals.js';
import type { Parser } from './parser.js';

// The `SETTINGS ...` clause of users, roles and settings profiles: ClickHouse's
// `ParserSettingsProfileElements` and, for ALTER, `ParserAlterSettingsProfileElements`.

export interface ProfileElementOptions {
  /** `INHERIT 'profile'` is a synonym of `PROFILE 'profile'` (settings profiles only). */
  inherit: boolean;
}

/** Keywords after which a setting's constraint follows the name: `max_threads MAX 16 READONLY`. */
const WRITABILITY_WORDS = new Set(['READONLY', 'CONST', 'WRITABLE', 'CHANGEABLE_IN_READONLY']);

/** True at a word that starts a settings clause: SETTINGS, SETTING, PROFILE, PROFILES (and INHERIT). */
export function isProfileElementsStart(p: Parser, options: ProfileElementOptions): boolean {
  const word = p.word();
  return word === 'SETTINGS' || word === 'SETTING' || word === 'PROFILE' || word === 'PROFILES' || (options.inherit && word === 'INHERIT');
}

/**
 * `SETTINGS a = 1 [MIN x] [MAX y] [CONST|READONLY|WRITABLE|CHANGEABLE_IN_READONLY], PROFILE 'p', ...`.
 * Each element may start with SETTINGS or PROFILE; a bare element continues the kind before it, so
 * `SETTINGS PROFILE 'p', 'q'` names two profiles and `SETTINGS PROFILE 'p', a = 1` a profile and a setting.
 * Returns the settings; profile names stay in the clause's range.
 */
export function parseProfileElements(p: Parser, options: ProfileElementOptions): SettingAssignment[] {
  const settings: SettingAssignment[] = [];
  let expectSettings = false;
  let expectProfiles = false;
  do {
    if (p.acceptWord('SETTINGS') || p.acceptWord('SETTING')) expectSettings = true;
    const settingsNext: boolean = expectSettings;
    if (p.acceptWord('PROFILES') || p.acceptWord('PROFILE')) [expectProfiles, expectSettings] = [true, false];
    else if (options.inherit && p.acceptWord('INHERIT')) {
      if (!p.acceptWord('PROFILES')) p.acceptWord('PROFILE');
      [expectProfiles, expectSettings] = [true, false];
    }
    if (!expectProfiles && !expectSettings) return p.fail('Expected SETTINGS or PROFILE');
    if (p.acceptWord('NONE')) expectSettings = settingsNext;
    else if (expectSettings && (!expectProfiles || isSettingAhead(p))) {
      settings.push(parseSettingElement(p));
      [expectProfiles, expectSettings] = [false, settingsNext];
    } else if (expectProfiles) {
      parseNameOrString(p, 'a profile name');
      expectSettings = settingsNext;
    } else return p.fail('Expected a setting such as `max_threads = 8`');
  } while (p.accept('Comma'));
  return settings;
}

/** True at `name =`, `name MIN`, `name READONLY`...: a setting, not a profile name. */
function isSettingAhead(p: Parser): boolean {
  if (!p.atIdentifier()) return false;
  let length = 1;
  while (p.at('Dot', length) && p.atIdentifier(length + 1)) length += 2;
  const after = p.word(length);
  return p.at('Equals', length) || after === 'MIN' || after === 'MAX' || WRITABILITY_WORDS.has(after);
}

/** `name [= value] [MIN [=] v] [MAX [=] v] [CONST|...]`, in any order, at least one of them. */
function parseSettingElement(p: Parser): SettingAssignment {
  const name = parseSettingName(p);
  const setting: SettingAssignment = { kind: 'SettingAssignment', name, start: name.start, end: name.end };
  let any = false;
  for (; ; any = true) {
    if (p.accept('Equals')) setting.value = parseSettingValue(p);
    else if (p.acceptWord('MIN') || p.acceptWord('MAX')) {
      p.accept('Equals');
      parseSettingValue(p);
    } else if (WRITABILITY_WORDS.has(p.word())) p.next();
    else break;
  }
  if (!any) return p.fail('Expected `= value`, MIN, MAX, READONLY, CONST, WRITABLE or CHANGEABLE_IN_READONLY after the setting name');
  setting.end = p.lastEnd;
  return setting;
}

/** A setting name, possibly dotted (`custom_x.y`), as one identifier. */
function parseSettingName(p: Parser): Identifier {
  const first = p.identifier('a setting name');
  let name = first.name;
  while (p.at('Dot') && p.atIdentifier(1)) {
    p.next();
    name += `.${p.identifier('a setting name').name}`;
  }
  return { kind: 'Identifier', name, quoted: first.quoted, start: first.start, end: p.lastEnd };
}

/** A literal only (ClickHouse's `ParserLiteral`): a number, a string, NULL, true or false. */
function parseSettingValue(p: Parser): Literal {
  const start = p.tokenStart;
  if (isStringToken(p)) return parseString(p);
  if (p.at('Number')) return p.numberLiteral();
  if (p.at('Minus') && p.at('Number', 1)) {
    p.next();
    const number = p.numberLiteral();
    return { ...number, value: `-${number.value}`, start };
  }
  const word = p.word();
  if (word === 'NULL') return { kind: 'Literal', type: 'null', value: 'NULL', start, end: p.endAt(p.next()) };
  if (word === 'TRUE' || word === 'FALSE') return { kind: 'Literal', type: 'boolean', value: word.toLowerCase(), start, end: p.endAt(p.next()) };
  return p.fail('Expected a literal value: a number, a string, NULL, true or false');
}

/** True at `ADD|MODIFY|DROP SETTINGS|PROFILES|ALL ...`: the ALTER form of the clause. */
export function isAlterProfileElementsStart(p: Parser): boolean {
  const action = p.word();
  const target = p.word(1);
  if (action !== 'ADD' && action !== 'MODIFY' && action !== 'DROP') return false;
  return target === 'SETTINGS' || target === 'SETTING' || target === 'PROFILES' || target === 'PROFILE' || target === 'ALL';
}

/**
 * ALTER's settings clause: the CREATE form (which replaces everything), or
 * `DROP ALL SETTINGS|PROFILES, DROP SETTINGS a, ADD|MODIFY SETTINGS b = 1, ADD|DROP PROFILES 'p'`
 * with the DROPs first. A bare element repeats the action and target before it.
 */
export function parseAlterProfileElements(p: Parser, options: ProfileElementOptions): SettingAssignment[] {
  if (isProfileElementsStart(p, options)) return parseProfileElements(p, options);
  const settings: SettingAssignment[] = [];
  const state = { action: '', target: '', addedOrModified: false, droppedAll: new Set<string>() };
  do {
    if (isAlterAction(p)) startAlterElement(p, state);
    if (state.target === '') return p.fail('Expected ADD, MODIFY or DROP followed by SETTINGS or PROFILES');
    const setting = parseAlterElement(p, state);
    if (setting) settings.push(setting);
  } while (p.accept('Comma'));
  return settings;
}

interface AlterState {
  action: string;
  target: string;
  /** An ADD or MODIFY came before: a DROP now is an error (ClickHouse wants the DROPs first). */
  addedOrModified: boolean;
  droppedAll: Set<string>;
}

function isAlterAction(p: Parser): boolean {
  const word = p.word();
  return word === 'ADD' || word === 'MODIFY' || word === 'DROP';
}

function startAlterElement(p: Parser, state: AlterState): void {
  state.action = p.word();
  if (state.action === 'DROP' && state.addedOrModified) {
    p.fail('Expected ADD or MODIFY; ClickHouse wants every DROP before them', 'Move the DROP elements to the start of the list.');
  }
  p.next();
  if (p.acceptWords('ALL', 'PROFILES')) state.target = 'ALL PROFILES';
  else if (p.acceptWords('ALL', 'SETTINGS')) state.target = 'ALL SETTINGS';
  else if (p.acceptWord('PROFILES') || p.acceptWord('PROFILE')) state.target = 'PROFILES';
  else if (p.acceptWord('SETTINGS') || p.acceptWord('SETTING')) state.target = 'SETTINGS';
  else p.fail('Expected SETTINGS, PROFILES, ALL SETTINGS or ALL PROFILES');
}

function parseAlterElement(p: Parser, state: AlterState): SettingAssignment | undefined {
  if (state.action !== 'DROP') state.addedOrModified = true;
  if (state.target === 'ALL PROFILES' || state.target === 'ALL SETTINGS') {
    if (state.action !== 'DROP' || state.droppedAll.has(state.target)) return p.fail(`Expected \`DROP ${state.target}\` at most once`);
    state.droppedAll.add(state.target);
    return undefined;
  }
  if (state.target === 'PROFILES') {
    if (state.action === 'MODIFY') return p.fail('Expected ADD PROFILES or DROP PROFILES; a profile cannot be modified');
    parseNameOrString(p, 'a profile name');
    return undefined;
  }
  if (state.action === 'DROP') {
    parseSettingName(p);
    return undefined;
  }
  return parseSettingElement(p);
}
