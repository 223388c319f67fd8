// The browser against the real core in Chromium: 1,200 notes scrolled, sorted, columns picked,
// notes mode, multi-selection and bulk actions, Find and Replace, and the Tools screen's Check
// Database and Empty Cards reports on a deliberately broken collection.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, shot, startServer, test } from './support/fixtures';

const root = join(import.meta.dirname, '..');

function ankiConnect(url: string) {
  return async (action: string, params: object = {}) => {
    const r = (await fetch(url, { method: 'POST', body: JSON.stringify({ action, version: 6, params }) }).then((x) => x.json())) as { result: unknown; error: string | null };
    expect(r.error).toBeNull();
    return r.result;
  };
}

const grid = (page: Page, mode: 'Cards' | 'Notes' = 'Cards') => page.getByRole('grid', { name: mode });
const loadedRows = (page: Page, mode: 'Cards' | 'Notes' = 'Cards') => grid(page, mode).locator('[role=row][data-loaded]');
const count = (page: Page) => page.locator('.result-count');
const search = async (page: Page, q: string) => {
  const box = page.getByLabel('Search', { exact: true });
  await box.fill(q);
  await box.press('Enter');
};
const header = (page: Page, name: string) => page.locator('.browser-table .table-head [role=columnheader]').filter({ hasText: new RegExp(`^${name}`) });

async function openBrowser(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Browse' }).click();
  await expect(page.getByRole('region', { name: 'Browse' }).or(page.locator('section.browser'))).toBeVisible();
}

test('browse 1,200 notes: scroll, sort, columns, notes mode, multi-select and bulk actions', async ({ app: page, served }) => {
  test.setTimeout(120_000);
  const ac = ankiConnect(served.ankiConnectUrl);
  await ac('createDeck', { deck: 'Vocab' });
  await ac('createDeck', { deck: 'Picked' });
  const notes = Array.from({ length: 1200 }, (_, i) => ({
    deckName: 'Vocab',
    modelName: 'Basic',
    fields: { Front: `word ${String(i).padStart(4, '0')}`, Back: `meaning ${i}` },
    tags: [i % 2 ? 'odd' : 'even'],
  }));
  expect(((await ac('addNotes', { notes })) as unknown[]).length).toBe(1200);

  await openBrowser(page);
  await expect(count(page)).toHaveText('1200 cards');
  await expect(loadedRows(page).first()).toContainText('word 0000');
  await shot(page, 'browser-01-1200-cards');

  // the keyboard goes to the end: the last rows are fetched and shown
  await loadedRows(page).first().click();
  await grid(page).press('End');
  await expect(grid(page).locator('[role=row][aria-rowindex="1200"][data-loaded]')).toContainText('word 1199');
  await expect(count(page)).toHaveText('1200 cards, 1 selected');
  await grid(page).press('Home');

  // sorting: the sorted column reverses; a numeric column starts descending
  await header(page, 'Sort Field').getByRole('button').click();
  await expect(header(page, 'Sort Field')).toHaveAttribute('aria-sort', 'descending');
  await expect(loadedRows(page).first()).toContainText('word 1199');
  await header(page, 'Sort Field').getByRole('button').click();
  await expect(loadedRows(page).first()).toContainText('word 0000');

  // columns: the header's context menu adds Tags, kept after a reload (the collection config)
  await page.locator('.browser-table .table-head').click({ button: 'right' });
  await page.getByRole('menu', { name: 'Columns' }).getByText('Tags', { exact: true }).click();
  await page.keyboard.press('Escape');
  await expect(header(page, 'Tags')).toBeVisible();
  await expect(loadedRows(page).first().locator('[role=gridcell]').last()).toHaveText('even');
  await page.reload();
  await expect(header(page, 'Tags')).toBeVisible();
  await shot(page, 'browser-02-sorted-with-tags');

  // multi-select: click, shift-click a range, ctrl-click one more
  await loadedRows(page).nth(0).click();
  await loadedRows(page).nth(4).click({ modifiers: ['Shift'] });
  await expect(count(page)).toHaveText('1200 cards, 5 selected');
  await loadedRows(page).nth(6).click({ modifiers: ['Control'] });
  await expect(count(page)).toHaveText('1200 cards, 6 selected');
  await shot(page, 'browser-03-multi-select');

  // bulk: add a tag to the six
  await page.getByRole('toolbar', { name: 'Selected cards' }).getByRole('button', { name: 'Add Tags…' }).click();
  await page.getByRole('dialog', { name: 'Add Tags' }).getByLabel(/Tags to add/).fill('picked');
  await page.getByRole('dialog', { name: 'Add Tags' }).getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('dialog', { name: 'Add Tags' })).toBeHidden();
  await expect(page.getByText('6 notes updated')).toBeVisible();
  await search(page, 'tag:picked');
  await expect(count(page)).toHaveText(/^6 cards/);

  // ctrl+A, then change deck, flag red, suspend
  await loadedRows(page).first().click();
  await grid(page).press('Control+a');
  await expect(count(page)).toHaveText('6 cards, 6 selected');
  await page.getByRole('button', { name: 'Change Deck…' }).click();
  const deckDialog = page.getByRole('dialog', { name: 'Change Deck' });
  await deckDialog.getByLabel('Move cards to deck').selectOption({ label: 'Picked' });
  await deckDialog.getByRole('button', { name: 'Move Cards' }).click();
  await expect(deckDialog).toBeHidden();
  await page.getByLabel('Flag', { exact: true }).selectOption({ label: 'Red (Ctrl+1)' });
  await expect(loadedRows(page).first()).toHaveClass(/row-flagRed/);
  await page.getByRole('toolbar', { name: 'Selected cards' }).getByRole('button', { name: 'Suspend', exact: true }).click();
  await search(page, 'deck:Picked is:suspended flag:1');
  await expect(count(page)).toHaveText(/^6 cards/);
  await shot(page, 'browser-04-bulk-flagged');

  // notes mode: rows are notes, with the card count in the Cards column
  await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Notes' }).click();
  await expect(count(page)).toHaveText(/^6 notes/);
  await expect(loadedRows(page, 'Notes').first().locator('[role=gridcell]').nth(2)).toHaveText('1');

  // delete the notes, then undo from the top bar
  await loadedRows(page, 'Notes').first().click();
  await grid(page, 'Notes').press('Control+a');
  await page.getByRole('toolbar', { name: 'Selected notes' }).getByRole('button', { name: 'Delete' }).click();
  await expect(count(page)).toHaveText(/^0 notes/);
  await page.getByRole('button', { name: /^Undo Delete Note/ }).click();
  await expect(count(page)).toHaveText(/^6 notes/);
  await shot(page, 'browser-05-notes-mode');
  await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Cards' }).click();
  await expect(count(page)).toHaveText(/^6 cards/);
});

test('one selected row shows the editor; edits save and the row follows', async ({ app: page, served }) => {
  const ac = ankiConnect(served.ankiConnectUrl);
  await ac('addNote', { note: { deckName: 'Default', modelName: 'Basic', fields: { Front: 'capital of Italy', Back: 'Rome' } } });
  await openBrowser(page);
  await loadedRows(page).first().click();
  const form = page.getByRole('complementary', { name: 'Editor' }).getByRole('form', { name: 'Edit note' });
  // the editor's first field (a rich-text field, or the HTML source in a text area)
  const field = form.locator('[contenteditable="true"], textarea').first();
  await expect(field).toBeVisible();
  const isTextArea = (await field.evaluate((el) => el.tagName)) === 'TEXTAREA';
  if (isTextArea) await expect(field).toHaveValue('capital of Italy');
  else await expect(field).toHaveText('capital of Italy');
  // the table keeps the keyboard after the click; clicking the field moves it to the editor
  await expect(grid(page)).toBeFocused();
  await field.click();
  await field.fill('Capital of Italy?');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(loadedRows(page).first()).toContainText('Capital of Italy?');
  await shot(page, 'browser-06-editor');
});

test('AnkiConnect drives the open browser: guiBrowse, guiSelectCard, guiSelectedNotes', async ({ app: page, served }) => {
  const ac = ankiConnect(served.ankiConnectUrl);
  const a = (await ac('addNote', { note: { deckName: 'Default', modelName: 'Basic', fields: { Front: 'first', Back: '1' } } })) as number;
  const b = (await ac('addNote', { note: { deckName: 'Default', modelName: 'Basic', fields: { Front: 'second', Back: '2' } } })) as number;
  const cards = (await ac('guiBrowse', { query: 'deck:Default' })) as number[];
  expect(cards).toHaveLength(2);
  await expect(page.getByLabel('Search', { exact: true })).toHaveValue('deck:Default');
  await expect(count(page)).toHaveText('2 cards');
  const cardOfB = ((await ac('findCards', { query: `nid:${b}` })) as number[])[0];
  expect(await ac('guiSelectCard', { card: cardOfB })).toBe(true);
  await expect(count(page)).toHaveText('2 cards, 1 selected');
  expect(await ac('guiSelectedNotes')).toEqual([b]);
  expect(a).not.toBe(b);
});

test('find and replace: selected notes, then a regex over all notes; undo', async ({ app: page, served }) => {
  const ac = ankiConnect(served.ankiConnectUrl);
  for (const [front, back] of [
    ['colour of the sky', 'blue'],
    ['my favourite colour', 'green'],
    ['weight of the box', '3 kg'],
  ])
    await ac('addNote', { note: { deckName: 'Default', modelName: 'Basic', fields: { Front: front, Back: back } } });
  await openBrowser(page);
  await search(page, 'colour');
  await expect(count(page)).toHaveText('2 cards');
  await loadedRows(page).first().click();
  await grid(page).press('Control+a');
  await page.getByRole('button', { name: 'Find and Replace…' }).click();
  let dialog = page.getByRole('dialog', { name: 'Find and Replace' });
  await dialog.getByLabel('Find', { exact: true }).fill('colour');
  await dialog.getByLabel('Replace With').fill('color');
  await expect(dialog.getByLabel('In', { exact: true }).locator('option')).toHaveText(['All Fields', 'Tags', 'Back', 'Front']);
  await shot(page, 'browser-07-find-replace');
  await dialog.getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByText('2 of 2 notes updated')).toBeVisible();
  await search(page, 'color');
  await expect(count(page)).toHaveText('2 cards');

  // a regex with groups over every note (the field list comes from the selected notes, as in Anki)
  await loadedRows(page).first().click();
  await grid(page).press('Control+a');
  await page.getByRole('button', { name: 'Find and Replace…' }).click();
  dialog = page.getByRole('dialog', { name: 'Find and Replace' });
  await dialog.getByLabel('Find', { exact: true }).fill('^(\\w+) of the (\\w+)$');
  await dialog.getByLabel('Replace With').fill('$2 $1');
  await dialog.getByLabel('In', { exact: true }).selectOption({ label: 'Front' });
  await dialog.getByLabel('Selected notes only').uncheck();
  await dialog.getByLabel('Treat input as regular expression').check();
  await dialog.getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByText('2 notes updated.')).toBeVisible();
  await search(page, '');
  await expect(grid(page).getByText('box weight')).toBeVisible();
  await expect(grid(page).getByText('sky color')).toBeVisible();

  // an invalid regex is explained and leaves the dialog open
  await page.getByRole('button', { name: 'Find and Replace…' }).click();
  dialog = page.getByRole('dialog', { name: 'Find and Replace' });
  await dialog.getByLabel('Find', { exact: true }).fill('(unclosed');
  await dialog.getByLabel('Treat input as regular expression').check();
  await dialog.getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /Invalid regular expression/ })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // one undo step per replace
  await page.getByRole('button', { name: 'Undo Find and Replace' }).click();
  await expect(grid(page).getByText('weight of the box')).toBeVisible();
});

test.describe('a collection that needs repairs', () => {
  test('Check Database fixes it and reports; Empty Cards lists and deletes', async ({ page }) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'deckhand-e2e-broken-'));
    const made = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'e2e', 'support', 'broken-profile.ts'), dataDir], { cwd: root, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const served = await startServer(dataDir);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !/favicon/.test(m.text()) && problems.push(m.text()));
    try {
      await page.goto(served.openUrl);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tools' }).click();
      await page.getByRole('button', { name: 'Check Database' }).click();
      const report = page.getByRole('status', { name: 'Check Database report' });
      await expect(report).toContainText('Fixed 1 invalid card property.');
      await expect(report).toContainText('Fixed 1 note with wrong field count.');
      await expect(report).toContainText('Database rebuilt and optimized.');
      await shot(page, 'tools-01-check-database');
      // run again: nothing left
      await page.getByRole('button', { name: 'Check Database' }).click();
      await expect(page.getByRole('status', { name: 'Check Database report' })).toContainText('No problems found.');

      await page.getByRole('button', { name: 'Find Empty Cards' }).click();
      const empty = page.getByRole('region', { name: 'Empty cards' });
      await expect(empty).toContainText('Empty cards for Cloze:');
      await expect(empty).toContainText('1 of 2 cards empty (Cloze 2).');
      await shot(page, 'tools-02-empty-cards');
      await empty.getByRole('button', { name: 'Delete 1 Empty Card' }).click();
      await expect(page.getByText('Deleted 1 card.')).toBeVisible();
      await page.getByRole('button', { name: 'Find Empty Cards' }).click();
      await expect(page.getByText('No empty cards.')).toBeVisible();

      // the repaired notes in the browser: the note that had no cards has one again, the tag is listed
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Browse' }).click();
      await search(page, 'tag:db-check');
      await expect(count(page)).toHaveText('1 card');
      await expect(page.getByRole('navigation', { name: /Saved searches/ }).getByRole('button', { name: 'unlisted' })).toBeVisible();
      await search(page, 'two');
      await expect(count(page)).toHaveText('1 card');
      expect(problems).toEqual([]);
    } finally {
      await served.stop();
    }
  });
});
