import type { Readable, Writable } from 'node:stream';
import type { Archiver } from 'archiver';
import { zipArchiver } from '../../files/document-libraries';

/** The receiver went away before the archive was finished (a download cancelled). */
export class ReceiverGone extends Error {
  constructor() {
    super('the receiver closed the connection before the archive was finished');
  }
}

/** A ZIP written entry by entry to `out`: each entry is compressed and written before the next is made. */
export class ZipStream {
  private readonly archive: Archiver;
  private readonly failed: Promise<never>;
  private fail!: (error: Error) => void;
  private finished = false;

  static async open(out: Writable): Promise<ZipStream> {
    return new ZipStream(out, (await zipArchiver())('zip', { zlib: { level: 6 } }));
  }

  private constructor(out: Writable, archive: Archiver) {
    this.archive = archive;
    this.failed = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    this.failed.catch(() => undefined);
    this.archive.on('error', (error) => this.fail(error));
    this.archive.on('warning', (error) => this.fail(error));
    out.once('close', () => {
      if (!this.finished) this.fail(new ReceiverGone());
    });
    // The receiver may have gone while the library was loading.
    if (out.destroyed) this.fail(new ReceiverGone());
    this.archive.pipe(out);
  }

  /**
   * Adds one file and waits until it is in the archive, so that at most one entry's bytes are held at a
   * time. Photos and media are stored as they are (already compressed); documents are deflated. A
   * source that fails, or a receiver that goes away, ends the archive with that error.
   */
  async add(name: string, content: Buffer | Readable, options: { compress: boolean }): Promise<void> {
    if (!Buffer.isBuffer(content)) content.once('error', (error) => this.fail(error));
    const written = new Promise<void>((resolve) => this.archive.once('entry', () => resolve()));
    this.archive.append(content, { name, store: !options.compress, date: new Date() });
    try {
      await Promise.race([written, this.failed]);
    } catch (error) {
      if (!Buffer.isBuffer(content)) content.destroy();
      throw error;
    }
  }

  async finish(): Promise<void> {
    await Promise.race([this.archive.finalize(), this.failed]);
    this.finished = true;
  }

  abort(): void {
    this.archive.abort();
  }
}
