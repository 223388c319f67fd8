import type Database from 'better-sqlite3';
import { stmt } from './statements';
import type { Notetype } from '../notetypes/notetype';
import {
  decodeFieldConfig,
  decodeNotetypeConfig,
  decodeTemplateConfig,
  encodeFieldConfig,
  encodeNotetypeConfig,
  encodeTemplateConfig,
} from './proto/codecs';

/** A notetype spread over its three tables, as raw rows (the unit of undo for notetypes). */
export interface NotetypeRows {
  notetype: { id: number; name: string; mtime_secs: number; usn: number; config: Uint8Array };
  fields: { ntid: number; ord: number; name: string; config: Uint8Array }[];
  templates: { ntid: number; ord: number; name: string; mtime_secs: number; usn: number; config: Uint8Array }[];
}

export function notetypeFromRows(r: NotetypeRows): Notetype {
  return {
    id: r.notetype.id,
    name: r.notetype.name,
    mtimeSecs: r.notetype.mtime_secs,
    usn: r.notetype.usn,
    config: decodeNotetypeConfig(r.notetype.config),
    fields: r.fields.map((f) => ({ ord: f.ord, name: f.name, config: decodeFieldConfig(f.config) })),
    templates: r.templates.map((t) => ({ ord: t.ord, name: t.name, mtimeSecs: t.mtime_secs, usn: t.usn, config: decodeTemplateConfig(t.config) })),
  };
}

export function notetypeToRows(nt: Notetype): NotetypeRows {
  return {
    notetype: { id: nt.id, name: nt.name, mtime_secs: nt.mtimeSecs, usn: nt.usn, config: Buffer.from(encodeNotetypeConfig(nt.config)) },
    fields: nt.fields.map((f, ord) => ({ ntid: nt.id, ord, name: f.name, config: Buffer.from(encodeFieldConfig(f.config)) })),
    templates: nt.templates.map((t, ord) => ({
      ntid: nt.id,
      ord,
      name: t.name,
      mtime_secs: t.mtimeSecs,
      usn: t.usn,
      config: Buffer.from(encodeTemplateConfig(t.config)),
    })),
  };
}

export class NotetypeStore {
  private cache = new Map<number, Notetype>();

  constructor(private readonly db: Database.Database) {}

  getRows(id: number): NotetypeRows | undefined {
    const notetype = stmt(this.db, 'SELECT * FROM notetypes WHERE id = ?').get(id) as NotetypeRows['notetype'] | undefined;
    if (!notetype) return undefined;
    const fields = stmt(this.db, 'SELECT * FROM fields WHERE ntid = ? ORDER BY ord').all(id) as NotetypeRows['fields'];
    const templates = stmt(this.db, 'SELECT * FROM templates WHERE ntid = ? ORDER BY ord').all(id) as NotetypeRows['templates'];
    return { notetype, fields, templates };
  }

  /** Parsed notetypes are cached: notes and cards reference them constantly. Callers must not mutate the result. */
  get(id: number): Notetype | undefined {
    let nt = this.cache.get(id);
    if (!nt) {
      const rows = this.getRows(id);
      if (!rows) return undefined;
      nt = notetypeFromRows(rows);
      this.cache.set(id, nt);
    }
    return nt;
  }

  idByName(name: string): number | undefined {
    return stmt(this.db, 'SELECT id FROM notetypes WHERE name = ?').pluck().get(name) as number | undefined;
  }

  /** Id and name of every notetype, in Anki's order (unicase by name). */
  names(): { id: number; name: string }[] {
    return stmt(this.db, 'SELECT id, name FROM notetypes ORDER BY name').all() as { id: number; name: string }[];
  }

  /** Id and name of every notetype in table (id) order, as Anki's `get_notetype_names` returns them. */
  namesInIdOrder(): { id: number; name: string }[] {
    return stmt(this.db, 'SELECT id, name FROM notetypes').all() as { id: number; name: string }[];
  }

  /** Id, name and note count of every notetype, by name (Anki's `get_notetype_use_counts`). */
  useCounts(): { id: number; name: string; useCount: number }[] {
    return this.db
      .prepare('SELECT nt.id, nt.name, (SELECT count(*) FROM notes n WHERE n.mid = nt.id) AS useCount FROM notetypes nt ORDER BY nt.name')
      .all() as { id: number; name: string; useCount: number }[];
  }

  all(): Notetype[] {
    return this.names().map((n) => this.get(n.id)!);
  }

  putRows(rows: NotetypeRows): void {
    const id = rows.notetype.id;
    this.cache.delete(id);
    // An upsert on id: a clash on the unique name must fail loudly, never replace another notetype.
    this.db
      .prepare(
        'INSERT INTO notetypes (id, name, mtime_secs, usn, config) VALUES (@id, @name, @mtime_secs, @usn, @config) ON CONFLICT (id) DO UPDATE SET name = excluded.name, mtime_secs = excluded.mtime_secs, usn = excluded.usn, config = excluded.config',
      )
      .run(rows.notetype);
    stmt(this.db, 'DELETE FROM fields WHERE ntid = ?').run(id);
    stmt(this.db, 'DELETE FROM templates WHERE ntid = ?').run(id);
    const f = stmt(this.db, 'INSERT INTO fields (ntid, ord, name, config) VALUES (@ntid, @ord, @name, @config)');
    for (const row of rows.fields) f.run(row);
    const t = stmt(this.db, 'INSERT INTO templates (ntid, ord, name, mtime_secs, usn, config) VALUES (@ntid, @ord, @name, @mtime_secs, @usn, @config)');
    for (const row of rows.templates) t.run(row);
  }

  delete(id: number): void {
    this.cache.delete(id);
    stmt(this.db, 'DELETE FROM notetypes WHERE id = ?').run(id);
    stmt(this.db, 'DELETE FROM fields WHERE ntid = ?').run(id);
    stmt(this.db, 'DELETE FROM templates WHERE ntid = ?').run(id);
  }

  clearCache(): void {
    this.cache.clear();
  }

  maxId(): number {
    return (stmt(this.db, 'SELECT max(id) FROM notetypes').pluck().get() as number | null) ?? 0;
  }

  noteCount(id: number): number {
    return stmt(this.db, 'SELECT count() FROM notes WHERE mid = ?').pluck().get(id) as number;
  }
}
