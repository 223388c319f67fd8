// Scheduling searches: `rated:`, `is:`, `prop:` and the day-based `added:` / `edited:` cutoffs.

import type { PropertyKind, PropertyOperator, RatingKind, StateKind } from '../../search/ast';
import { DEFAULT_LEARN_AHEAD_SECS } from '../../search/context';
import { rustF32Display } from '../../search/number-format';
import type { SqlTarget } from './sql-target';

export function previousDayCutoff(w: SqlTarget, days: number): bigint {
  return BigInt(w.ctx.dayCutoff) - 86_400n * BigInt(days);
}

export function writeRated(w: SqlTarget, op: PropertyOperator, days: bigint, ease: RatingKind): void {
  const cutoff = BigInt(w.ctx.dayCutoff);
  const target = (cutoff + 86_400n * days) * 1000n;
  const dayBefore = (cutoff + 86_400n * (days - 1n)) * 1000n;
  let cond: string;
  switch (op) {
    case '>':
      cond = ` >= ${target}`;
      break;
    case '>=':
      cond = ` >= ${dayBefore}`;
      break;
    case '<':
      cond = ` < ${dayBefore}`;
      break;
    case '<=':
      cond = ` < ${target}`;
      break;
    case '=':
      cond = ` between ${dayBefore} and ${target - 1n}`;
      break;
    case '!=':
      cond = ` not between ${dayBefore} and ${target - 1n}`;
      break;
  }
  let easeCond: string;
  switch (ease.kind) {
    case 'answerButton':
      easeCond = ` and ease = ${ease.button})`;
      break;
    case 'anyAnswerButton':
      easeCond = ' and ease > 0)';
      break;
    case 'manualReschedule':
      easeCond = ' and ease = 0)';
      break;
  }
  w.sql += `c.id in (select cid from revlog where id${cond}${easeCond}`;
}

export function writeState(w: SqlTarget, state: StateKind): void {
  switch (state) {
    case 'new':
      w.sql += 'c.type = 0';
      break;
    case 'review':
      w.sql += 'c.type in (2, 3)';
      break;
    case 'learn':
      w.sql += 'c.type in (1, 3)';
      break;
    case 'buried':
      w.sql += 'c.queue in (-2,-3)';
      break;
    case 'suspended':
      w.sql += 'c.queue = -1';
      break;
    case 'due': {
      const learnCutoff = Math.trunc(w.ctx.nowSecs) + (w.ctx.learnAheadSecs ?? DEFAULT_LEARN_AHEAD_SECS);
      w.sql +=
        `((c.queue in (2,3) and c.due <= ${w.ctx.today}) or ` +
        `(c.queue in (1,4) and c.due <= ${learnCutoff}))`;
      break;
    }
    case 'buried-manually':
      w.sql += 'c.queue = -3';
      break;
    case 'buried-sibling':
      w.sql += 'c.queue = -2';
      break;
  }
}

export function writeProp(w: SqlTarget, op: PropertyOperator, prop: PropertyKind): void {
  const { today, dayCutoff, nowSecs } = w.ctx;
  const dueExpr = '(case when c.odue != 0 then c.odue else c.due end)';
  switch (prop.kind) {
    case 'due': {
      const day = (prop.days + today) | 0;
      w.sql +=
        `((c.queue in (2,3) and ${dueExpr} ${op} ${day}) or ` +
        `(c.queue in (1,4) and ((${dueExpr} - ${dayCutoff}) / 86400) ${op} ${prop.days}))`;
      break;
    }
    case 'position':
      w.sql += `(c.type = 0 and ${dueExpr} ${op} ${prop.pos})`;
      break;
    case 'interval':
      w.sql += `ivl ${op} ${prop.days}`;
      break;
    case 'reps':
      w.sql += `reps ${op} ${prop.count}`;
      break;
    case 'lapses':
      w.sql += `lapses ${op} ${prop.count}`;
      break;
    case 'ease':
      w.sql += `factor ${op} ${f32ToU32(Math.fround(Math.fround(prop.ease) * 1000))}`;
      break;
    case 'rated':
      writeRated(w, op, BigInt(prop.days), prop.ease);
      break;
    case 'customDataNumber':
      w.sql += `cast(extract_custom_data(c.data, ${w.bind(prop.key)}) as float) ${op} ${sqlF32(prop.value)}`;
      break;
    case 'customDataString':
      w.sql += `extract_custom_data(c.data, ${w.bind(prop.key)}) ${op} ${w.bind(prop.value)}`;
      break;
    case 'stability':
      w.sql += `extract_fsrs_variable(c.data, 's') ${op} ${sqlF32(prop.value)}`;
      break;
    case 'difficulty': {
      const d = Math.fround(Math.fround(Math.fround(prop.value) * 9) + 1);
      w.sql += `extract_fsrs_variable(c.data, 'd') ${op} ${sqlF32(d)}`;
      break;
    }
    case 'retrievability':
      w.sql +=
        `case when c.type = 0 then false else (extract_fsrs_retrievability(c.data, ` +
        `case when c.odue !=0 then c.odue else c.due end, c.ivl, ${today}, ${dayCutoff}, ${Math.trunc(nowSecs)})` +
        ` ${op} ${sqlF32(prop.value)}) end`;
      break;
  }
}

function f32ToU32(v: number): number {
  if (Number.isNaN(v) || v <= 0) return 0;
  if (v >= 4294967295) return 4294967295;
  return Math.trunc(v);
}

/** An f32 literal for SQL: Rust's Display, except non-finite values (Anki writes invalid SQL). */
function sqlF32(v: number): string {
  const x = Math.fround(v);
  if (Number.isNaN(x)) return 'null';
  if (x === Infinity) return '9e999';
  if (x === -Infinity) return '-9e999';
  return rustF32Display(x);
}
