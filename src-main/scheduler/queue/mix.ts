// Merging gathered cards into the main queue: one list after another, or spread evenly
// (Anki's queue/builder/{sized_chain,intersperser}.rs).

const f32 = Math.fround;

/** Review-mix options of a preset (`new_mix`, `interday_learning_mix`). */
export enum ReviewMix {
  MixWithReviews = 0,
  AfterReviews = 1,
  BeforeReviews = 2,
}

/**
 * Spreads `two` evenly through `one`: with ratio = (|one|+1)/(|two|+1) in f32, the next item comes
 * from `two` when (j+1)·ratio < i+1, i and j being the items taken so far from each.
 */
export function intersperse<T>(one: readonly T[], two: readonly T[]): T[] {
  const ratio = f32((one.length + 1) / (two.length + 1));
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < one.length || j < two.length) {
    if (i < one.length && j < two.length) {
      if (f32((j + 1) * ratio) < i + 1) out.push(two[j++]);
      else out.push(one[i++]);
    } else if (i < one.length) out.push(one[i++]);
    else out.push(two[j++]);
  }
  return out;
}

/** Combines `reviews` with `other` per the mix option. */
export function mixWith<T>(reviews: readonly T[], other: readonly T[], mode: ReviewMix): T[] {
  switch (mode) {
    case ReviewMix.AfterReviews:
      return [...reviews, ...other];
    case ReviewMix.BeforeReviews:
      return [...other, ...reviews];
    default:
      return intersperse(reviews, other);
  }
}
