/** A set of listeners with an unsubscribe, the one event helper of the sync layer. */
export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...args: A) => void>();

  add(listener: (...args: A) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(...args: A): void {
    for (const l of [...this.set]) l(...args);
  }

  clear(): void {
    this.set.clear();
  }
}
