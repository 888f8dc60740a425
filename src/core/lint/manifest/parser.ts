import * as l10n from '@vscode/l10n';
// The ES module build: jsonc-parser's `main` is a UMD wrapper whose factory hides its relative
// requires from esbuild, so a bundle of it fails at run time with "Cannot find module './impl/format'".
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser/lib/esm/main.js';

/**
 * The manifest front end: `pinpack.json` read as JSON with the offset of every value kept
 * (Microsoft's jsonc-parser, the parser of VS Code's own JSON support), so that a schema problem
 * at `enrollees.users[2]` is reported on exactly that string. The file is JSON, not JSONC:
 * comments and trailing commas are syntax errors, as they are for `JSON.parse` in the CLI.
 */
export interface ManifestParse {
  readonly text: string;
  /** The syntax tree; undefined when the text holds no JSON value at all. */
  readonly root: Node | undefined;
  /** The parsed value, when the text parsed without a syntax error. */
  readonly value: unknown;
  /** The first syntax error: later ones usually follow from it. */
  readonly syntaxError: { readonly start: number; readonly end: number; readonly message: string } | undefined;
}

export type JsonPath = readonly (string | number)[];

function syntaxMessage(error: ParseError): string {
  switch (printParseErrorCode(error.error)) {
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return l10n.t('JSON has no comments: remove this comment from pinpack.json.');
    case 'CommaExpected':
      return l10n.t('A comma is missing here: separate the values with ",".');
    case 'ColonExpected':
      return l10n.t('A colon is missing here: write "key": value.');
    case 'PropertyNameExpected':
      return l10n.t('A property name in double quotes is expected here (JSON allows no trailing comma and no unquoted keys).');
    case 'ValueExpected':
      return l10n.t('A value is expected here (JSON allows no trailing comma): add the value or remove the comma.');
    case 'CloseBraceExpected':
      return l10n.t('This object is not closed: add the matching "}".');
    case 'CloseBracketExpected':
      return l10n.t('This array is not closed: add the matching "]".');
    case 'EndOfFileExpected':
      return l10n.t('The JSON value ends before this text: remove it, or wrap both values in one object.');
    case 'UnexpectedEndOfString':
      return l10n.t('This string is not closed: add the closing double quote.');
    case 'InvalidEscapeCharacter':
    case 'InvalidUnicode':
      return l10n.t('This escape sequence is not valid JSON: write a backslash as \\\\ (Windows paths too).');
    case 'InvalidCharacter':
      return l10n.t('JSON strings cannot hold control characters such as tabs or line breaks: write them as \\t or \\n.');
    case 'InvalidNumberFormat':
    case 'UnexpectedEndOfNumber':
      return l10n.t('This number is not valid JSON: write digits only, such as 1.');
    default:
      return l10n.t('This is not valid JSON here: strings and keys take double quotes, and true, false and null are lower case.');
  }
}

export function parseManifestDocument(text: string): ManifestParse {
  if (text.trim() === '') {
    return { text, root: undefined, value: undefined, syntaxError: { start: 0, end: 0, message: l10n.t('pinpack.json is empty: it needs at least schemaVersion, name and target.') } };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    return { text, root, value: undefined, syntaxError: { start: first.offset, end: first.offset + Math.max(first.length, 1), message: syntaxMessage(first) } };
  }
  return { text, root, value: root ? (getNodeValue(root) as unknown) : undefined, syntaxError: undefined };
}

/** The node of the value at `path`, if the file has one. */
export function nodeAt(parse: ManifestParse, path: JsonPath): Node | undefined {
  return parse.root ? findNodeAtLocation(parse.root, [...path]) : undefined;
}

/**
 * The range to report a problem at `path` on: the value itself; for a key the file lacks, the
 * opening brace of the nearest object that exists, so the finding sits where the key belongs.
 */
export function rangeOf(parse: ManifestParse, path: JsonPath): { start: number; end: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = nodeAt(parse, path.slice(0, n));
    if (!node) continue;
    if (n === path.length) return { start: node.offset, end: node.offset + node.length };
    return { start: node.offset, end: node.offset + 1 };
  }
  return { start: 0, end: 0 };
}

/** The range of a property's key, quotes included (for a key that should not be there). */
export function keyRangeOf(parse: ManifestParse, path: JsonPath): { start: number; end: number } {
  const value = nodeAt(parse, path);
  const key = value?.parent?.type === 'property' ? value.parent.children?.[0] : undefined;
  return key ? { start: key.offset, end: key.offset + key.length } : rangeOf(parse, path);
}
