// The statistics screen: today's figures, the reviews / future due / interval charts drawn as SVG,
// and the true retention table, after a few answers.
import { acOk, addBasic } from './support/anki';
import { expect, shot, test } from './support/fixtures';

test('charts and the true retention table after some reviews', async ({ app: page, served }) => {
  await acOk(served, 'createDeck', { deck: 'Stats' });
  const ids: number[] = [];
  for (const w of ['a', 'b', 'c']) ids.push(await addBasic(served, `word ${w}`, w, { deck: 'Stats' }));
  // two become review cards due today (as if studied before), one stays new
  const cards = await acOk<number[]>(served, 'findCards', { query: 'deck:Stats "word a" OR "word b"' });
  await acOk(served, 'setDueDate', { cards, days: '0' });

  // the deck named "Stats" (not the Stats screen)
  await page.locator('tr.deck-row').getByRole('link', { name: 'Stats', exact: true }).click();
  await page.getByRole('button', { name: 'Study Now' }).click();
  const qa = page.frameLocator('iframe.card-frame').locator('#qa');
  // the two reviews: one passed, one failed; the new card: Good
  const reviewKeys = ['3', '1'];
  for (let i = 0; i < 3; i++) {
    await expect(qa).toContainText('word');
    const isNew = (await qa.textContent())?.includes('word c');
    await page.keyboard.press('Space');
    await expect(page.locator('.answer-buttons')).toBeVisible();
    await page.keyboard.press(isNew ? '3' : reviewKeys.shift()!);
    await expect(page.locator('.answer-buttons')).toBeHidden();
  }

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stats' }).click();
  await expect(page.getByRole('heading', { name: 'Statistics' })).toBeVisible();
  await expect(page.getByText(/Studied 3 cards in/)).toBeVisible();
  const reviews = page.getByRole('img', { name: 'Reviews per day over the last 30 days' });
  await expect(reviews).toBeVisible();
  // today's bar: the new card's learning answer and two young reviews
  await expect(reviews.locator('rect.c-learn')).toHaveCount(1);
  await expect(reviews.locator('rect.c-young')).toHaveCount(1);
  await expect(page.getByText('Days studied: 1 of 30 · Total: 3 reviews')).toBeVisible();
  await expect(page.getByRole('img', { name: 'Cards due per day over the next 30 days' }).locator('rect.c-due').first()).toBeVisible();
  await expect(page.getByRole('img', { name: 'Review cards by interval' }).locator('rect.c-interval').first()).toBeVisible();

  // true retention: today 1 passed, 1 failed young review → 50%
  const today = page.locator('.retention-table tbody tr').filter({ hasText: 'Today' });
  await expect(today.locator('td')).toHaveText(['1', '1', '50.0%', '0', '0', 'N/A', '1', '1', '50.0%']);
  await shot(page, 'stats-01-charts');

  // a longer period, the whole collection
  await page.getByRole('radiogroup', { name: 'Period' }).getByText('1 year').click();
  await expect(page.getByRole('radio', { name: '1 year' })).toBeChecked();
  await expect(page.getByRole('img', { name: 'Reviews per day over the last 365 days' })).toBeVisible();
  await page.getByLabel('Whole collection').check();
  await expect(page.getByRole('heading', { name: 'All decks — today' })).toBeVisible();
});
