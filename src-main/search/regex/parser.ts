// Rust `regex` grammar down to an RNode tree: alternation, concatenation, repetition, groups and
// inline flags (escapes and bracketed classes are in class-parser).

import { ClassParser } from './class-parser';
import type { AssertKind, Flags, RNode } from './syntax';

export class Parser extends ClassParser {
  parse(): RNode {
    const flags: Flags = { i: false, m: false, s: false, U: false, u: true, x: false, R: false };
    const node = this.parseAlt(flags);
    if (this.pos < this.cs.length) throw this.error('unopened group');
    return node;
  }

  /** Alternation up to an unmatched `)` or the end. `flags` is mutated by inline flag groups. */
  private parseAlt(flags: Flags): RNode {
    const branches: RNode[] = [this.parseConcat(flags)];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.parseConcat(flags));
    }
    return branches.length === 1 ? branches[0] : { t: 'alt', branches };
  }

  private parseConcat(flags: Flags): RNode {
    const items: RNode[] = [];
    for (;;) {
      this.skipVerbose(flags);
      if (this.eof()) break;
      const c = this.peek()!;
      if (c === '|' || c === ')') break;
      if (c === '*' || c === '+' || c === '?' || c === '{') {
        const last = items.pop();
        if (last === undefined) throw this.error('repetition operator missing expression');
        items.push(this.parseRepetition(last, flags));
        continue;
      }
      const atom = this.parseAtom(flags);
      if (atom !== null) items.push(atom);
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0] : { t: 'concat', items };
  }

  private parseRepetition(item: RNode, flags: Flags): RNode {
    const c = this.cs[this.pos++];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else {
      this.skipVerbose(flags);
      const lo = this.parseDecimal(flags);
      if (lo === undefined) throw this.error('repetition quantifier expects a valid decimal');
      min = lo;
      this.skipVerbose(flags);
      if (this.peek() === ',') {
        this.pos++;
        this.skipVerbose(flags);
        if (this.peek() === '}') max = Infinity;
        else {
          const hi = this.parseDecimal(flags);
          if (hi === undefined) throw this.error('repetition quantifier expects a valid decimal');
          max = hi;
        }
      } else {
        max = min;
      }
      this.skipVerbose(flags);
      if (this.peek() !== '}') throw this.error('unclosed counted repetition');
      this.pos++;
      if (max < min) throw this.error('invalid repetition range');
    }
    let greedy = true;
    if (this.peek() === '?') {
      this.pos++;
      greedy = false;
    }
    if (flags.U) greedy = !greedy;
    return { t: 'rep', item, min, max, greedy };
  }

  private parseDecimal(flags: Flags): number | undefined {
    let digits = '';
    while (!this.eof() && /^[0-9]$/.test(this.peek()!)) digits += this.cs[this.pos++];
    this.skipVerbose(flags);
    if (digits === '') return undefined;
    const n = Number(digits);
    if (n > 1_000_000) throw this.error('repetition count too large');
    return n;
  }

  /** Returns null for an inline flag group, which only changes `flags`. */
  private parseAtom(flags: Flags): RNode | null {
    const c = this.cs[this.pos++];
    switch (c) {
      case '(':
        return this.parseGroup(flags);
      case '[':
        return { t: 'class', expr: this.parseClass(flags), ci: flags.i };
      case '.':
        return { t: 'dot', s: flags.s, R: flags.R };
      case '^':
        return { t: 'assert', a: 'start', m: flags.m, u: flags.u };
      case '$':
        return { t: 'assert', a: 'end', m: flags.m, u: flags.u };
      case '\\':
        return this.parseEscape(flags);
      default:
        return { t: 'lit', cp: c.codePointAt(0)!, ci: flags.i };
    }
  }

  private parseGroup(flags: Flags): RNode | null {
    if (this.peek() === '?') {
      this.pos++;
      const c = this.peek();
      if (c === '=' || c === '!' || (c === '<' && (this.peek(1) === '=' || this.peek(1) === '!'))) {
        throw this.error('look-around is not supported');
      } else if (c === 'P' && this.peek(1) === '<') {
        this.pos += 2;
        this.parseGroupName();
      } else if (c === '<') {
        this.pos++;
        this.parseGroupName();
      } else {
        // flags: (?flags) or (?flags:…)
        const inner: Flags = { ...flags };
        let negate = false;
        let any = false;
        for (;;) {
          const f = this.peek();
          if (f === undefined) throw this.error('unclosed group');
          if (f === ')' || f === ':') break;
          this.pos++;
          if (f === '-') {
            if (negate) throw this.error('repeated negation in flags');
            negate = true;
            continue;
          }
          if (!'imsUuxR'.includes(f)) throw this.error(`unrecognized flag "${f}"`);
          (inner as unknown as Record<string, boolean>)[f] = !negate;
          any = true;
        }
        if (!any && (negate || this.peek() === ')')) throw this.error('empty flag group');
        if (this.peek() === ')') {
          this.pos++;
          Object.assign(flags, inner);
          return null;
        }
        this.pos++; // ':'
        const body = this.parseAlt(inner);
        this.expectClose();
        return { t: 'group', body };
      }
    }
    const body = this.parseAlt({ ...flags });
    this.expectClose();
    return { t: 'group', body };
  }

  private parseGroupName(): void {
    let name = '';
    while (!this.eof() && this.peek() !== '>') name += this.cs[this.pos++];
    if (this.eof()) throw this.error('unclosed group name');
    this.pos++;
    if (!/^[_\p{L}\p{N}.[\]]+$/u.test(name)) throw this.error('invalid capture group name');
  }

  private expectClose(): void {
    if (this.peek() !== ')') throw this.error('unclosed group');
    this.pos++;
  }

  private parseEscape(flags: Flags): RNode {
    const c = this.cs[this.pos++];
    if (c === undefined) throw this.error('incomplete escape sequence');
    switch (c) {
      case 'A':
        return { t: 'assert', a: 'textStart', m: flags.m, u: flags.u };
      case 'z':
        return { t: 'assert', a: 'textEnd', m: flags.m, u: flags.u };
      case 'B':
        return { t: 'assert', a: 'B', m: flags.m, u: flags.u };
      case '<':
        return { t: 'assert', a: '<', m: flags.m, u: flags.u };
      case '>':
        return { t: 'assert', a: '>', m: flags.m, u: flags.u };
      case 'b': {
        if (this.peek() === '{') {
          const rest = this.cs.slice(this.pos).join('');
          const m = /^\{(start|end|start-half|end-half)\}/.exec(rest);
          if (m) {
            this.pos += m[0].length;
            const kinds: Record<string, AssertKind> = {
              start: '<',
              end: '>',
              'start-half': 'startHalf',
              'end-half': 'endHalf',
            };
            return { t: 'assert', a: kinds[m[1]], m: flags.m, u: flags.u };
          }
        }
        return { t: 'assert', a: 'b', m: flags.m, u: flags.u };
      }
    }
    const cls = this.perlOrUnicodeClass(c, flags);
    if (cls !== null) {
      return { t: 'class', expr: { k: 'union', negated: false, items: [cls] }, ci: flags.i };
    }
    return { t: 'lit', cp: this.escapedChar(c, false), ci: flags.i };
  }
}
