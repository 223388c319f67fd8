// Makes a profile whose collection needs Check Database and has an empty card, for the browser
// e2e spec: `node --import tsx e2e/support/broken-profile.ts DATA_DIR` (the server is not running
// yet, so the file can be edited directly).
import { openProfile } from '../../src-main/host/open-profile';
import { addNote } from '../../src-main/notes/notes-service';
import { ProfileManager } from '../../src-main/profiles/profiles-service';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: broken-profile.ts DATA_DIR');
const session = openProfile(new ProfileManager({ baseDir: dataDir }), 'E2E');
const col = session.col;
const id = (name: string) => col.storage.notetypes.all().find((n) => n.name === name)!.id;
const basic = id('Basic');
const notes = ['one', 'two', 'three', 'four'].map((w) => addNote(col, { notetypeId: basic, deckId: 1, fields: [w, `back of ${w}`], tags: ['e2e'] }).result);
const cloze = addNote(col, { notetypeId: id('Cloze'), deckId: 1, fields: ['{{c1::Paris}} is in {{c2::France}}', ''] }).result;
// a wrong field count, a note without cards, a tag missing from the tag list, a fractional interval
col.db.prepare('UPDATE notes SET flds = ? WHERE id = ?').run('one', notes[0].noteId);
col.db.prepare('DELETE FROM cards WHERE nid = ?').run(notes[1].noteId);
col.db.prepare("UPDATE notes SET tags = ' e2e unlisted ' WHERE id = ?").run(notes[2].noteId);
col.db.prepare('UPDATE cards SET ivl = 2.5 WHERE nid = ?').run(notes[3].noteId);
// the second cloze is gone from the text: its card is empty
col.db.prepare('UPDATE notes SET flds = ? WHERE id = ?').run('{{c1::Paris}} is in France\x1f', cloze.noteId);
session.close();
