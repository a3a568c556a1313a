/**
 * Writes only the latest value: while a write is in flight, newer values replace each other and the
 * last one is written when it ends. The relay acknowledges every update with a state vector; storing
 * each would be one IndexedDB transaction per fact, when only the newest matters.
 */
export class CoalescedWriter<T> {
  private readonly write: (value: T) => Promise<void>;
  private readonly onError: (e: unknown) => void;
  private next: { value: T } | undefined;
  private running: Promise<void> | undefined;

  constructor(write: (value: T) => Promise<void>, onError: (e: unknown) => void) {
    this.write = write;
    this.onError = onError;
  }

  set(value: T): void {
    this.next = { value };
    this.running ??= this.drain();
  }

  /** Resolves when the latest value set so far is written (or failed). */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.next !== undefined) {
        const { value } = this.next;
        this.next = undefined;
        try {
          await this.write(value);
        } catch (e) {
          this.onError(e);
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}
