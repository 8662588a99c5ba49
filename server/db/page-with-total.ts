/**
 * One page of a list and the list's total. The total is counted only when the page does not already tell
 * it: a page shorter than the limit is the last one. A count is a pass over every matching record on an
 * engine without indexes for the filter (FerretDB), so a search with few results costs one query, not two.
 */
export async function pageWithTotal<T>(page: PromiseLike<T[]>, count: () => PromiseLike<number>, skip: number, limit: number): Promise<{ items: T[]; total: number }> {
  const items = await page;
  const lastPage = items.length < limit && (items.length > 0 || skip === 0);
  return { items, total: lastPage ? skip + items.length : await count() };
}
