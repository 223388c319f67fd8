import { ProfileManager } from '../profiles/profiles-service';
import { type ParsedArgs, fieldPairs, opt, opts, UsageError } from './args';
import type { ActionClient } from './client';
import { syncCommand } from './sync';

// Each command is a thin adapter over an AnkiConnect action, so the CLI behaves the same whether
// it goes through a running Deckhand's listener or opens the collection itself.

export interface CommandContext {
  args: ParsedArgs;
  json: boolean;
  dataDir: string | undefined;
  profile: string | undefined;
  client: () => Promise<ActionClient>;
  out: (line: string) => void;
}

export interface Command {
  summary: string;
  usage: string;
  flags?: string[];
  options?: string[];
  /** Resolves with the exit status when it is not 0. */
  run(ctx: CommandContext): Promise<void | number>;
}

const tagList = (s: string | undefined) => (s ? s.split(/[\s,]+/).filter(Boolean) : []);

function print(ctx: CommandContext, value: unknown, human: () => string): void {
  ctx.out(ctx.json ? JSON.stringify(value, null, 2) : human());
}

async function withClient<T>(ctx: CommandContext, fn: (c: ActionClient) => Promise<T>): Promise<T> {
  const c = await ctx.client();
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

function ids(ctx: CommandContext, what: string): number[] {
  if (!ctx.args.positionals.length) throw new UsageError(`give at least one ${what} id`);
  return ctx.args.positionals.map((p) => {
    if (!/^\d+$/.test(p)) throw new UsageError(`“${p}” is not a ${what} id`);
    return Number(p);
  });
}

async function addNote(ctx: CommandContext, modelName: string, fields: Record<string, string>): Promise<void> {
  const note = {
    deckName: opt(ctx.args, 'deck') ?? 'Default',
    modelName,
    fields,
    tags: tagList(opt(ctx.args, 'tags')),
    options: { allowDuplicate: ctx.args.flags.has('allow-duplicate') },
  };
  const id = await withClient(ctx, (c) => c.call<number>('addNote', { note }));
  print(ctx, { noteId: id }, () => `added note ${id}`);
}

interface NoteInfo {
  noteId: number;
  modelName: string;
  tags: string[];
  fields: Record<string, { value: string; order: number }>;
  cards: number[];
}

export const COMMANDS: Record<string, Command> = {
  profiles: {
    summary: 'list the profiles in the data folder',
    usage: 'deckhand profiles [--data-dir DIR] [--json]',
    async run(ctx) {
      const list = new ProfileManager({ baseDir: ctx.dataDir }).list().map((p) => ({ name: p.name, dir: p.dir }));
      print(ctx, list, () => (list.length ? list.map((p) => p.name).join('\n') : 'no profiles yet (deckhand serve creates one)'));
    },
  },
  decks: {
    summary: 'list decks with their ids',
    usage: 'deckhand decks [--json]',
    async run(ctx) {
      const decks = await withClient(ctx, (c) => c.call<Record<string, number>>('deckNamesAndIds'));
      print(ctx, decks, () =>
        Object.entries(decks)
          .map(([name, id]) => `${id}\t${name}`)
          .join('\n'),
      );
    },
  },
  add: {
    summary: 'add a note: front/back (Basic) or any notetype via --field Name=value',
    usage: 'deckhand add [--front TEXT --back TEXT | --notetype NAME --field Name=value …] [--deck NAME] [--tags "a b"] [--allow-duplicate] [--json]',
    flags: ['allow-duplicate'],
    options: ['front', 'back', 'notetype', 'field', 'deck', 'tags'],
    async run(ctx) {
      const fields = fieldPairs(ctx.args);
      const front = opt(ctx.args, 'front');
      const back = opt(ctx.args, 'back');
      if (front !== undefined) fields.Front = front;
      if (back !== undefined) fields.Back = back;
      if (!Object.keys(fields).length) throw new UsageError('give --front/--back or --field Name=value');
      await addNote(ctx, opt(ctx.args, 'notetype') ?? 'Basic', fields);
    },
  },
  'add-cloze': {
    summary: 'add a cloze note',
    usage: 'deckhand add-cloze --text "{{c1::Paris}} is the capital" [--extra TEXT] [--deck NAME] [--tags "a b"] [--json]',
    flags: ['allow-duplicate'],
    options: ['text', 'extra', 'deck', 'tags', 'notetype'],
    async run(ctx) {
      const text = opt(ctx.args, 'text');
      if (!text) throw new UsageError('give --text with at least one {{c1::…}} cloze');
      await addNote(ctx, opt(ctx.args, 'notetype') ?? 'Cloze', { Text: text, 'Back Extra': opt(ctx.args, 'extra') ?? '' });
    },
  },
  'find-notes': {
    summary: "find notes with Anki's search syntax",
    usage: 'deckhand find-notes QUERY [--json]',
    async run(ctx) {
      const found = await withClient(ctx, (c) => c.call<number[]>('findNotes', { query: ctx.args.positionals.join(' ') }));
      print(ctx, found, () => found.join('\n') || 'no notes match');
    },
  },
  'find-cards': {
    summary: "find cards with Anki's search syntax",
    usage: 'deckhand find-cards QUERY [--json]',
    async run(ctx) {
      const found = await withClient(ctx, (c) => c.call<number[]>('findCards', { query: ctx.args.positionals.join(' ') }));
      print(ctx, found, () => found.join('\n') || 'no cards match');
    },
  },
  'get-note': {
    summary: 'show notes by id',
    usage: 'deckhand get-note ID… [--json]',
    async run(ctx) {
      const notes = await withClient(ctx, (c) => c.call<NoteInfo[]>('notesInfo', { notes: ids(ctx, 'note') }));
      print(ctx, notes, () =>
        notes
          .map((n) =>
            n.noteId
              ? [
                  `note ${n.noteId} (${n.modelName}), cards ${n.cards.join(', ')}`,
                  ...Object.entries(n.fields)
                    .sort((a, b) => a[1].order - b[1].order)
                    .map(([k, v]) => `  ${k}: ${v.value}`),
                  `  tags: ${n.tags.join(' ') || '(none)'}`,
                ].join('\n')
              : 'no such note',
          )
          .join('\n\n'),
      );
    },
  },
  'update-note': {
    summary: 'change fields and tags of a note',
    usage: 'deckhand update-note ID [--field Name=value …] [--tags "a b" (replace)] [--add-tags "x y"] [--json]',
    options: ['field', 'tags', 'add-tags'],
    async run(ctx) {
      const [id] = ids(ctx, 'note');
      const fields = fieldPairs(ctx.args);
      const tags = opt(ctx.args, 'tags');
      const addTags = opts(ctx.args, 'add-tags').join(' ');
      if (!Object.keys(fields).length && tags === undefined && !addTags) throw new UsageError('nothing to change: give --field, --tags or --add-tags');
      await withClient(ctx, async (c) => {
        if (Object.keys(fields).length || tags !== undefined) {
          await c.call('updateNote', { note: { id, ...(Object.keys(fields).length ? { fields } : {}), ...(tags !== undefined ? { tags: tagList(tags) } : {}) } });
        }
        if (addTags) await c.call('addTags', { notes: [id], tags: addTags });
      });
      print(ctx, { noteId: id, updated: true }, () => `updated note ${id}`);
    },
  },
  delete: {
    summary: 'delete notes (and their cards) by id',
    usage: 'deckhand delete ID… [--json]',
    async run(ctx) {
      const notes = ids(ctx, 'note');
      await withClient(ctx, (c) => c.call('deleteNotes', { notes }));
      print(ctx, { deleted: notes }, () => `deleted ${notes.length} note${notes.length === 1 ? '' : 's'}`);
    },
  },
  sync: syncCommand,
};
