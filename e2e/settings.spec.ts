// Settings: a key recorded in the keymap editor works in the reviewer (and conflicts are caught);
// backups made and restored from the window, the collection replaced under the running UI.
import { acOk, addBasic } from './support/anki';
import { expect, shot, test } from './support/fixtures';

test('a recorded review key works, a conflicting one is refused', async ({ app: page, served }) => {
  await addBasic(served, 'uno', 'one');
  await addBasic(served, 'dos', 'two');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  // "j" for Good
  await page.getByRole('button', { name: 'Add key for Good' }).click();
  await expect(page.getByRole('button', { name: /Press a key/ })).toBeVisible();
  await page.keyboard.press('j');
  await expect(page.getByRole('list', { name: 'Keys for Good' }).locator('kbd')).toHaveText(['3', 'Space', 'Enter', 'J']);
  // "3" for Bury would clash with Good
  await page.getByRole('button', { name: 'Add key for Bury card' }).click();
  await page.keyboard.press('3');
  await expect(page.getByRole('alert').filter({ hasText: '3 is used by Good and Bury card' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save keys' })).toBeDisabled();
  await page.getByRole('button', { name: 'Remove 3 from Bury card' }).click();
  await page.getByRole('button', { name: 'Save keys' }).click();
  await expect(page.getByText('Keys saved')).toBeVisible();
  await shot(page, 'settings-01-keymap');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Decks' }).click();
  await page.getByRole('link', { name: 'Default', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Study Now' })).toBeFocused();
  await page.keyboard.press('Enter');
  const qa = page.frameLocator('iframe.card-frame').locator('#qa');
  await expect(qa).toContainText('uno');
  await page.keyboard.press('Space');
  await page.keyboard.press('j');
  await expect(qa).toContainText('dos');
});

test('back up, change, restore: the collection is replaced under the open window', async ({ app: page, served }) => {
  await acOk(served, 'createDeck', { deck: 'Before' });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByRole('table', { name: 'Backups' }).getByRole('row')).toHaveCount(1);
  await acOk(served, 'createDeck', { deck: 'After' });
  await page.getByRole('table', { name: 'Backups' }).getByRole('button', { name: /^Restore the backup/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore Backup' });
  await expect(dialog).toContainText('Changes made since the backup are lost');
  await shot(page, 'settings-02-restore');
  await dialog.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByText('Backup restored.')).toBeVisible();
  // the current collection was backed up first
  await expect(page.getByRole('table', { name: 'Backups' }).getByRole('row')).toHaveCount(2);
  // the window and AnkiConnect both see the restored collection
  expect(await acOk<string[]>(served, 'deckNames')).toEqual(['Before', 'Default']);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Decks' }).click();
  await expect(page.getByRole('link', { name: 'Before', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'After', exact: true })).toBeHidden();
});
