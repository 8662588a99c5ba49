/**
 * The libraries that write spreadsheets, PDFs and ZIPs weigh tens of megabytes each, and only some
 * requests need them: each is loaded on its first use instead of at start, so an idle service does not
 * carry them.
 */
function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      loading = load();
      // A failed load is tried again on the next use.
      loading.catch(() => (loading = undefined));
    }
    return loading;
  };
}

export const excel = onFirstUse(async () => (await import('exceljs')).default);
export const pdfKit = onFirstUse(async () => (await import('pdfkit')).default);
export const zipArchiver = onFirstUse(async () => (await import('archiver')).default);
