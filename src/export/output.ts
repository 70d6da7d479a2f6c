/**
 * Writing an export's bytes to a stream (stdout or a temp file) with bounded memory and backpressure.
 *
 * Text is encoded into a few reusable 1 MiB buffers; a full buffer goes to the stream and is reused
 * once the stream has written it. A write the stream cannot take yet waits for 'drain', so a slow
 * reader slows the export instead of filling memory. Reusing buffers (instead of a new one per chunk)
 * is what keeps peak memory flat: discarded buffers live outside the JavaScript heap, and V8 frees
 * them only when it next collects, tens of megabytes later.
 *
 * A stream error (EPIPE when the reader went away) stops the export at the next write.
 */

const BUFFER_BYTES = 1 << 20;
const BUFFERS = 3;

/** Buffers, encodes and writes to one stream; counts the bytes. The caller ends the stream. */
export class ChunkWriter {
  readonly #stream: NodeJS.WritableStream;
  readonly #free: Buffer[] = [];
  readonly #waiting: Array<() => void> = [];
  #current: Buffer | null = null;
  #used = 0;
  #error: Error | null = null;
  #bytes = 0;
  readonly #onError = (error: Error): void => {
    this.#error ??= error;
    // Whoever waits for a buffer must wake up and see the error.
    for (const wake of this.#waiting.splice(0)) wake();
  };

  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
    stream.on('error', this.#onError);
    for (let i = 0; i < BUFFERS; i++) this.#free.push(Buffer.allocUnsafe(BUFFER_BYTES));
  }

  /** Bytes written so far (buffered ones included). */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Adds text (UTF-8). Returns a promise only when the caller must wait (a buffer went to the stream
   * and the stream asked for a pause): the common case stays synchronous, which matters at one call
   * per row. Throws the stream's error.
   */
  writeText(text: string): Promise<void> | undefined {
    this.#throwIfFailed();
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const room = text.length * 3;
    if (this.#current !== null && this.#used + room <= BUFFER_BYTES) {
      this.#append(this.#current, text);
      return undefined;
    }
    return this.#writeTextSlow(text);
  }

  async #writeTextSlow(text: string): Promise<void> {
    await this.#flushCurrent();
    if (text.length * 3 > BUFFER_BYTES) {
      const bytes = Buffer.from(text, 'utf8');
      this.#bytes += bytes.byteLength;
      await this.#send(bytes, null);
      return;
    }
    this.#append(await this.#take(), text);
  }

  #append(buffer: Buffer, text: string): void {
    const written = buffer.write(text, this.#used);
    this.#used += written;
    this.#bytes += written;
  }

  /**
   * Adds bytes the caller will not touch again (a Parquet row group), or not before `written` is
   * called: once the stream has written them (or failed to).
   */
  async writeBytes(bytes: Uint8Array, written?: () => void): Promise<void> {
    this.#throwIfFailed();
    await this.#flushCurrent();
    this.#bytes += bytes.byteLength;
    await this.#send(bytes, null, written);
  }

  /** Writes out what is buffered and resolves once the stream has taken every byte. */
  async flush(): Promise<void> {
    await this.#flushCurrent();
    await new Promise<void>((resolve, reject) => {
      this.#stream.write(Buffer.alloc(0), (error?: Error | null) => (error ? reject(error) : resolve()));
    });
    this.#throwIfFailed();
  }

  /** Stops listening to the stream (leaves it open: ending it is the owner's call). */
  close(): void {
    this.#stream.off('error', this.#onError);
    // An error after the export is over (a late EPIPE) must not crash the process.
    this.#stream.on('error', () => {});
  }

  async #flushCurrent(): Promise<void> {
    const buffer = this.#current;
    if (buffer === null || this.#used === 0) return;
    const used = this.#used;
    this.#current = null;
    this.#used = 0;
    await this.#send(buffer.subarray(0, used), buffer);
  }

  /** Hands `chunk` to the stream; `pooled` goes back to the pool once the stream has written it, and `written` is called then. */
  async #send(chunk: Uint8Array, pooled: Buffer | null, written?: () => void): Promise<void> {
    const ready = this.#stream.write(chunk, (error?: Error | null) => {
      if (error) this.#error ??= error;
      if (pooled !== null) this.#free.push(pooled);
      written?.();
      this.#waiting.shift()?.();
    });
    this.#throwIfFailed();
    if (!ready) await this.#drained();
  }

  async #take(): Promise<Buffer> {
    while (this.#free.length === 0) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
      this.#throwIfFailed();
    }
    this.#current = this.#free.pop() as Buffer;
    this.#used = 0;
    return this.#current;
  }

  #throwIfFailed(): void {
    // `errored` is set at once when a synchronous write (stdout on a pipe) fails; the 'error' event
    // only follows on a later tick.
    const error = this.#error ?? (this.#stream as { errored?: Error | null }).errored ?? null;
    if (error) throw error;
  }

  #drained(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error): void => {
        this.#stream.off('drain', onDrain);
        this.#stream.off('error', onFail);
        this.#stream.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = (): void => done();
      const onFail = (error: Error): void => done(error);
      const onClose = (): void => done(this.#error ?? Object.assign(new Error('the output closed before the export finished'), { code: 'EPIPE' }));
      this.#stream.on('drain', onDrain);
      this.#stream.on('error', onFail);
      this.#stream.on('close', onClose);
    });
  }
}
