/**
 * A small reader for the Bicep this repository writes, so policy tests can check templates
 * without a Bicep compiler (none installs offline; the deploy workflow runs the real one).
 *
 * It understands top-level declarations (targetScope, using, param, var, resource, module,
 * output, with their decorators and the comment lines just above them) and literal values:
 * objects, arrays, strings (plain, interpolated and ''' multi-line), numbers, booleans, null,
 * `[for ... : body]` loops and `if (cond) body` conditions. Anything else (function calls,
 * ternaries, property access) is kept as an `expr` with its source text, so a check can still
 * look at the string literals inside it. It is not a validator: the compiler in CI is.
 */

export type BicepValue =
  | { kind: 'object'; entries: BicepEntry[]; text: string; line: number }
  | { kind: 'array'; items: BicepValue[]; text: string; line: number }
  | { kind: 'string'; value: string; interpolated: boolean; text: string; line: number }
  | { kind: 'number'; value: number; text: string; line: number }
  | { kind: 'bool'; value: boolean; text: string; line: number }
  | { kind: 'null'; text: string; line: number }
  | {
      kind: 'for';
      variables: string[];
      iterable: string;
      body: BicepValue;
      text: string;
      line: number;
    }
  | { kind: 'if'; condition: string; body: BicepValue; text: string; line: number }
  | { kind: 'expr'; text: string; line: number };

export interface BicepEntry {
  key: string;
  value: BicepValue;
  line: number;
}

export interface BicepDecorator {
  name: string;
  args: BicepValue[];
  text: string;
}

interface Declaration {
  decorators: BicepDecorator[];
  /** Comment lines directly above the declaration (and its decorators), without `//`. */
  comments: string[];
  line: number;
  /** Source text of the whole declaration, decorators included. */
  text: string;
}

export interface BicepParam extends Declaration {
  name: string;
  type?: string;
  value?: BicepValue;
}

export interface BicepVar extends Declaration {
  name: string;
  value: BicepValue;
}

export interface BicepResource extends Declaration {
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
  value: BicepValue;
}

export interface BicepModule extends Declaration {
  symbol: string;
  path: string;
  value: BicepValue;
}

export interface BicepOutput extends Declaration {
  name: string;
  type: string;
  value: BicepValue;
}

export interface BicepFile {
  path: string;
  text: string;
  targetScope?: string;
  using?: string;
  params: BicepParam[];
  vars: BicepVar[];
  resources: BicepResource[];
  modules: BicepModule[];
  outputs: BicepOutput[];
}

export class BicepSyntaxError extends Error {
  constructor(path: string, line: number, message: string) {
    super(`${path}:${line}: ${message}`);
    this.name = 'BicepSyntaxError';
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*/;

/** Parses one .bicep or .bicepparam file. Throws BicepSyntaxError on text it cannot follow. */
export function parseBicep(text: string, path = '<inline>'): BicepFile {
  return new Reader(text, path).readFile();
}

class Reader {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly path: string,
  ) {}

  readFile(): BicepFile {
    const file: BicepFile = {
      path: this.path,
      text: this.text,
      params: [],
      vars: [],
      resources: [],
      modules: [],
      outputs: [],
    };
    let decorators: BicepDecorator[] = [];
    let comments: string[] = [];
    let declarationStart = -1;

    while (true) {
      const pending = this.skipTriviaCollectingComments();
      if (decorators.length === 0) comments = pending.blankLineAfterLast ? [] : pending.comments;
      if (this.pos >= this.text.length) break;

      if (this.peek() === '@') {
        if (declarationStart < 0) declarationStart = this.pos;
        decorators.push(this.readDecorator());
        continue;
      }

      const start = declarationStart >= 0 ? declarationStart : this.pos;
      const line = this.lineAt(this.pos);
      const keyword = this.readIdentifier();
      const base = () => ({ decorators, comments, line, text: '' });

      switch (keyword) {
        case 'targetScope': {
          this.expect('=');
          file.targetScope = stringOf(this.readValue());
          break;
        }
        case 'using': {
          file.using = this.readStringLiteral();
          break;
        }
        case 'param': {
          const declaration: BicepParam = { ...base(), name: this.readIdentifier() };
          this.skipInline();
          if (this.peek() !== '=') declaration.type = this.readType();
          this.skipInline();
          if (this.peek() === '=') {
            this.pos += 1;
            declaration.value = this.readValue();
          }
          file.params.push(this.finish(declaration, start));
          break;
        }
        case 'var': {
          const name = this.readIdentifier();
          this.expect('=');
          file.vars.push(this.finish({ ...base(), name, value: this.readValue() }, start));
          break;
        }
        case 'resource': {
          const symbol = this.readIdentifier();
          const typeText = this.readStringLiteral();
          const [type = '', apiVersion = ''] = typeText.split('@');
          this.skipInline();
          let existing = false;
          if (this.text.startsWith('existing', this.pos)) {
            existing = true;
            this.pos += 'existing'.length;
          }
          this.expect('=');
          const value = this.readValue();
          file.resources.push(
            this.finish({ ...base(), symbol, type, apiVersion, existing, value }, start),
          );
          break;
        }
        case 'module': {
          const symbol = this.readIdentifier();
          const path = this.readStringLiteral();
          this.expect('=');
          file.modules.push(
            this.finish({ ...base(), symbol, path, value: this.readValue() }, start),
          );
          break;
        }
        case 'output': {
          const name = this.readIdentifier();
          this.skipInline();
          const type = this.readType();
          this.expect('=');
          file.outputs.push(this.finish({ ...base(), name, type, value: this.readValue() }, start));
          break;
        }
        case 'metadata':
        case 'type':
        case 'func':
        case 'import':
        case 'extension': {
          this.readExpressionText(['\n']);
          break;
        }
        default:
          throw new BicepSyntaxError(
            this.path,
            line,
            `unexpected '${keyword || this.peek()}' at top level`,
          );
      }
      decorators = [];
      comments = [];
      declarationStart = -1;
    }
    return file;
  }

  private finish<T extends Declaration>(declaration: T, start: number): T {
    declaration.text = this.text.slice(start, this.pos);
    return declaration;
  }

  // --- trivia -------------------------------------------------------------------------------

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  private lineAt(index: number): number {
    const starts = lineStarts(this.text);
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= index) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  /** Skips spaces, newlines and comments; returns the `//` comment lines met, in order. */
  private skipTriviaCollectingComments(): { comments: string[]; blankLineAfterLast: boolean } {
    const comments: string[] = [];
    let newlinesSinceComment = 0;
    while (this.pos < this.text.length) {
      const char = this.peek();
      if (char === '\n') {
        newlinesSinceComment += 1;
        this.pos += 1;
      } else if (char === ' ' || char === '\t' || char === '\r') {
        this.pos += 1;
      } else if (char === '/' && this.peek(1) === '/') {
        const end = this.text.indexOf('\n', this.pos);
        const stop = end < 0 ? this.text.length : end;
        if (newlinesSinceComment > 1) comments.length = 0;
        comments.push(this.text.slice(this.pos + 2, stop).trim());
        newlinesSinceComment = 0;
        this.pos = stop;
      } else if (char === '/' && this.peek(1) === '*') {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0)
          throw new BicepSyntaxError(this.path, this.lineAt(this.pos), 'unclosed /* comment');
        this.pos = end + 2;
      } else {
        break;
      }
    }
    return { comments, blankLineAfterLast: comments.length > 0 && newlinesSinceComment > 1 };
  }

  /** Skips spaces, tabs and comments on the current line. */
  private skipInline(): void {
    while (this.pos < this.text.length) {
      const char = this.peek();
      if (char === ' ' || char === '\t' || char === '\r') this.pos += 1;
      else if (char === '/' && this.peek(1) === '*') {
        const end = this.text.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? this.text.length : end + 2;
      } else break;
    }
  }

  private skipAll(): void {
    this.skipTriviaCollectingComments();
  }

  private expect(char: string): void {
    this.skipInline();
    if (this.peek() !== char) {
      throw new BicepSyntaxError(
        this.path,
        this.lineAt(this.pos),
        `expected '${char}', found '${this.peek()}'`,
      );
    }
    this.pos += 1;
  }

  private readIdentifier(): string {
    this.skipInline();
    const match = IDENTIFIER.exec(this.text.slice(this.pos, this.pos + 200));
    if (!match) return '';
    this.pos += match[0].length;
    return match[0];
  }

  /** Reads the plain string literal at the current position (a resource type, a path). */
  private readStringLiteral(): string {
    this.skipInline();
    if (this.peek() !== "'") {
      throw new BicepSyntaxError(
        this.path,
        this.lineAt(this.pos),
        `expected a string, found '${this.peek()}'`,
      );
    }
    return stringOf(this.readString(this.pos, this.lineAt(this.pos))) ?? '';
  }

  private readType(): string {
    return this.readExpressionText(['=', '\n']).trim();
  }

  private readDecorator(): BicepDecorator {
    const start = this.pos;
    this.pos += 1;
    const name = this.readIdentifier();
    const args: BicepValue[] = [];
    if (this.peek() === '(') {
      const close = this.matchingClose(this.pos);
      const inner = this.text.slice(this.pos + 1, close);
      const innerReader = new Reader(this.text, this.path);
      innerReader.pos = this.pos + 1;
      for (const piece of splitTopLevel(inner, ',')) {
        if (piece.text.trim() === '') continue;
        innerReader.pos = this.pos + 1 + piece.start;
        innerReader.skipAll();
        args.push(innerReader.readValue([',', ')']));
      }
      this.pos = close + 1;
    }
    return { name, args, text: this.text.slice(start, this.pos) };
  }

  // --- values -------------------------------------------------------------------------------

  /**
   * Reads one value starting at the current position. The value ends at a newline at nesting
   * depth 0, or at one of `stops` (used inside single-line objects, arrays and argument lists).
   */
  readValue(stops: string[] = []): BicepValue {
    this.skipInline();
    const start = this.pos;
    const line = this.lineAt(start);
    const exprText = this.readExpressionText(['\n', ...stops]);
    const trimmed = exprText.trim();
    const end = this.pos;
    const reader = new Reader(this.text, this.path);
    reader.pos = start;
    const value = reader.classify(
      trimmed,
      line,
      start + (exprText.length - exprText.trimStart().length),
    );
    this.pos = end;
    return value;
  }

  /** Decides what kind of value `trimmed` (found at `at`) is, parsing literals in place. */
  private classify(trimmed: string, line: number, at: number): BicepValue {
    if (trimmed === '') throw new BicepSyntaxError(this.path, line, 'expected a value');
    if (trimmed === 'true' || trimmed === 'false')
      return { kind: 'bool', value: trimmed === 'true', text: trimmed, line };
    if (trimmed === 'null') return { kind: 'null', text: trimmed, line };
    if (/^-?\d+(\.\d+)?$/.test(trimmed))
      return { kind: 'number', value: Number(trimmed), text: trimmed, line };

    const first = trimmed[0];
    if (first === '{' || first === '[' || first === "'") {
      const close = first === "'" ? this.stringEnd(at) - 1 : this.matchingClose(at);
      if (close === at + trimmed.length - 1) {
        if (first === '{') return this.readObject(at, close, line);
        if (first === "'") return this.readString(at, line);
        return this.readArrayOrFor(at, close, line);
      }
    }
    const ifMatch = /^if\s*\(/.exec(trimmed);
    if (ifMatch) {
      const open = at + ifMatch[0].length - 1;
      const close = this.matchingClose(open);
      const condition = this.text.slice(open + 1, close).trim();
      const reader = new Reader(this.text, this.path);
      reader.pos = close + 1;
      reader.skipInline();
      const bodyStart = reader.pos;
      const bodyText = this.text.slice(bodyStart, at + trimmed.length);
      const body = reader.classify(bodyText.trim(), this.lineAt(bodyStart), bodyStart);
      return { kind: 'if', condition, body, text: trimmed, line };
    }
    return { kind: 'expr', text: trimmed, line };
  }

  private readObject(open: number, close: number, line: number): BicepValue {
    const entries: BicepEntry[] = [];
    this.pos = open + 1;
    while (true) {
      this.skipAll();
      while (this.peek() === ',') {
        this.pos += 1;
        this.skipAll();
      }
      if (this.pos >= close) break;
      const entryLine = this.lineAt(this.pos);
      let key: string;
      if (this.peek() === "'") {
        const value = this.readString(this.pos, entryLine);
        key = value.kind === 'string' ? value.value : '';
      } else if (this.text.startsWith('resource ', this.pos)) {
        throw new BicepSyntaxError(
          this.path,
          entryLine,
          'nested resource declarations are not supported; use parent:',
        );
      } else {
        key = this.readIdentifier();
        if (!key)
          throw new BicepSyntaxError(
            this.path,
            entryLine,
            `expected a property name, found '${this.peek()}'`,
          );
      }
      this.expect(':');
      const value = this.readValue([',', '}']);
      if (this.pos > close)
        throw new BicepSyntaxError(this.path, entryLine, `value of '${key}' runs past its object`);
      entries.push({ key, value, line: entryLine });
    }
    this.pos = close + 1;
    return { kind: 'object', entries, text: this.text.slice(open, close + 1), line };
  }

  private readArrayOrFor(open: number, close: number, line: number): BicepValue {
    const text = this.text.slice(open, close + 1);
    const inner = this.text.slice(open + 1, close);
    const forMatch = /^\s*for\s+(\([^)]*\)|[A-Za-z_$][\w$]*)\s+in\s+/.exec(inner);
    if (forMatch) {
      const variables = (forMatch[1] ?? '')
        .replace(/[()]/g, '')
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      const afterIn = open + 1 + forMatch[0].length;
      const colon = findTopLevel(this.text, afterIn, close, ':');
      if (colon < 0) throw new BicepSyntaxError(this.path, line, 'for-expression without ":"');
      const iterable = this.text.slice(afterIn, colon).trim();
      const bodyText = this.text.slice(colon + 1, close);
      const bodyStart = colon + 1 + (bodyText.length - bodyText.trimStart().length);
      const body = this.classify(bodyText.trim(), this.lineAt(bodyStart), bodyStart);
      this.pos = close + 1;
      return { kind: 'for', variables, iterable, body, text, line };
    }
    const items: BicepValue[] = [];
    this.pos = open + 1;
    while (true) {
      this.skipAll();
      while (this.peek() === ',') {
        this.pos += 1;
        this.skipAll();
      }
      if (this.pos >= close) break;
      items.push(this.readValue([',', ']']));
      if (this.pos > close)
        throw new BicepSyntaxError(this.path, line, 'array item runs past its array');
    }
    this.pos = close + 1;
    return { kind: 'array', items, text, line };
  }

  private readString(open: number, line: number): BicepValue {
    const end = this.stringEnd(open);
    const raw = this.text.slice(open, end);
    this.pos = end;
    if (raw.startsWith("'''"))
      return {
        kind: 'string',
        value: raw.slice(3, -3).replace(/^\r?\n/, ''),
        interpolated: false,
        text: raw,
        line,
      };
    let value = '';
    let interpolated = false;
    for (let i = 1; i < raw.length - 1; i += 1) {
      const char = raw[i] ?? '';
      if (char === '\\') {
        const next = raw[i + 1] ?? '';
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
        i += 1;
      } else if (char === '$' && raw[i + 1] === '{') {
        interpolated = true;
        const close = this.matchingClose(open + i + 1) - open;
        value += raw.slice(i, close + 1);
        i = close;
      } else {
        value += char;
      }
    }
    return { kind: 'string', value, interpolated, text: raw, line };
  }

  // --- scanning -----------------------------------------------------------------------------

  /** Index just past the string literal that opens at `open`. */
  private stringEnd(open: number): number {
    if (this.text.startsWith("'''", open)) {
      const end = this.text.indexOf("'''", open + 3);
      if (end < 0) throw new BicepSyntaxError(this.path, this.lineAt(open), "unclosed ''' string");
      return end + 3;
    }
    let i = open + 1;
    while (i < this.text.length) {
      const char = this.text[i];
      if (char === '\\') i += 2;
      else if (char === '$' && this.text[i + 1] === '{') i = this.matchingClose(i + 1) + 1;
      else if (char === "'") return i + 1;
      else if (char === '\n') break;
      else i += 1;
    }
    throw new BicepSyntaxError(this.path, this.lineAt(open), 'unclosed string');
  }

  /** Index of the bracket that closes the one at `open`, skipping strings and comments. */
  private matchingClose(open: number): number {
    const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
    const stack: string[] = [];
    let i = open;
    while (i < this.text.length) {
      const char = this.text[i] ?? '';
      if (char === "'") {
        i = this.stringEnd(i);
        continue;
      }
      if (char === '/' && this.text[i + 1] === '/') {
        const end = this.text.indexOf('\n', i);
        i = end < 0 ? this.text.length : end;
        continue;
      }
      if (char === '/' && this.text[i + 1] === '*') {
        const end = this.text.indexOf('*/', i + 2);
        i = end < 0 ? this.text.length : end + 2;
        continue;
      }
      const expected = pairs[char];
      if (expected) stack.push(expected);
      else if (char === '}' || char === ']' || char === ')') {
        if (stack.pop() !== char)
          throw new BicepSyntaxError(this.path, this.lineAt(i), `unbalanced '${char}'`);
        if (stack.length === 0) return i;
      }
      i += 1;
    }
    throw new BicepSyntaxError(this.path, this.lineAt(open), `unclosed '${this.text[open]}'`);
  }

  /**
   * Reads source text up to (not including) the first stop character at nesting depth 0, or a
   * closing bracket that belongs to an enclosing construct; brackets and strings nest.
   */
  private readExpressionText(stops: string[]): string {
    const start = this.pos;
    let i = this.pos;
    while (i < this.text.length) {
      const char = this.text[i] ?? '';
      if (stops.includes(char)) break;
      if (char === "'") {
        i = this.stringEnd(i);
        continue;
      }
      if (char === '/' && this.text[i + 1] === '/') break;
      if (char === '{' || char === '[' || char === '(') {
        i = this.matchingClose(i) + 1;
        continue;
      }
      if (char === '}' || char === ']' || char === ')') break;
      i += 1;
    }
    this.pos = i;
    return this.text.slice(start, i);
  }
}

const lineStartCache = new Map<string, number[]>();

/** Offsets where each line of `text` starts (cached: every nested reader shares the text). */
function lineStarts(text: string): number[] {
  let starts = lineStartCache.get(text);
  if (!starts) {
    starts = [0];
    for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') starts.push(i + 1);
    if (lineStartCache.size > 200) lineStartCache.clear();
    lineStartCache.set(text, starts);
  }
  return starts;
}

function findTopLevel(text: string, from: number, to: number, target: string): number {
  let depth = 0;
  for (let i = from; i < to; i += 1) {
    const char = text[i];
    if (char === "'") {
      const end = text.indexOf("'", i + 1);
      i = end < 0 ? to : end;
    } else if (char === '{' || char === '[' || char === '(') depth += 1;
    else if (char === '}' || char === ']' || char === ')') depth -= 1;
    else if (char === target && depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(text: string, separator: string): { text: string; start: number }[] {
  const pieces: { text: string; start: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === "'") {
      if (text.startsWith("'''", i)) {
        const end = text.indexOf("'''", i + 3);
        i = end < 0 ? text.length : end + 2;
      } else {
        let j = i + 1;
        while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
        i = j;
      }
    } else if (char === '{' || char === '[' || char === '(') depth += 1;
    else if (char === '}' || char === ']' || char === ')') depth -= 1;
    else if (char === separator && depth === 0) {
      pieces.push({ text: text.slice(start, i), start });
      start = i + 1;
    }
  }
  pieces.push({ text: text.slice(start), start });
  return pieces;
}

// --- lookups ------------------------------------------------------------------------------------

/** The value of a string literal (interpolations kept as `${...}` text), else undefined. */
export function stringOf(value: BicepValue | undefined): string | undefined {
  return value?.kind === 'string' ? value.value : undefined;
}

export function boolOf(value: BicepValue | undefined): boolean | undefined {
  return value?.kind === 'bool' ? value.value : undefined;
}

export function numberOf(value: BicepValue | undefined): number | undefined {
  return value?.kind === 'number' ? value.value : undefined;
}

/** Looks through `if` conditions and `for` loops to the object they produce. */
export function unwrap(value: BicepValue | undefined): BicepValue | undefined {
  let current = value;
  while (current && (current.kind === 'if' || current.kind === 'for')) current = current.body;
  return current;
}

/**
 * Follows a dotted path through object literals (`properties.backupPolicy.type`); array items
 * are reached with a number (`properties.locations.1.locationName`). Conditions and loops on
 * the way, and around the result, are looked through.
 */
export function get(value: BicepValue | undefined, path: string): BicepValue | undefined {
  return unwrap(getRaw(value, path));
}

/** Like `get`, but returns the value at the path as written (a `for` loop stays a loop). */
export function getRaw(value: BicepValue | undefined, path: string): BicepValue | undefined {
  let current = value;
  for (const part of path.split('.')) {
    current = unwrap(current);
    if (!current) return undefined;
    if (current.kind === 'object') {
      current = current.entries.find((entry) => entry.key === part)?.value;
    } else if (current.kind === 'array' && /^\d+$/.test(part)) {
      current = current.items[Number(part)];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Every string literal anywhere in the value's source text (also inside expressions). */
export function stringLiteralsIn(value: BicepValue | undefined): string[] {
  if (!value) return [];
  const literals: string[] = [];
  const pattern = /'((?:\\.|[^'\\\n])*)'/g;
  for (const match of value.text.matchAll(pattern))
    literals.push((match[1] ?? '').replace(/\\(.)/g, '$1'));
  return literals;
}

export function decorator(declaration: Declaration, name: string): BicepDecorator | undefined {
  return declaration.decorators.find((candidate) => candidate.name === name);
}

/** Every resource of a type (case-insensitive), leaving out `existing` references. */
export function resourcesOfType(file: BicepFile, type: string): BicepResource[] {
  return file.resources.filter(
    (resource) => !resource.existing && resource.type.toLowerCase() === type.toLowerCase(),
  );
}

/** Converts a literal value to plain JSON-like data; expressions become `{ expr: text }`. */
export function toPlain(value: BicepValue | undefined): unknown {
  if (!value) return undefined;
  switch (value.kind) {
    case 'object':
      return Object.fromEntries(value.entries.map((entry) => [entry.key, toPlain(entry.value)]));
    case 'array':
      return value.items.map(toPlain);
    case 'string':
    case 'number':
    case 'bool':
      return value.value;
    case 'null':
      return null;
    default:
      return { expr: value.text };
  }
}
