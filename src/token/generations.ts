/**
 * A bounded map that forgets the least recently used entries first, approximately, at O(1)
 * per operation and no work at all on a hit of a recent entry: entries live in a young and an
 * old generation; new and recently used ones are young; when full, the oldest entry of the old
 * generation leaves, and once the old generation is empty the young one becomes old. The
 * verified-token cache's hot path is one `Map.get`.
 */
export class Generations<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(readonly max: number) {}

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: string): V | undefined {
    const recent = this.young.get(key);
    if (recent !== undefined) return recent;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.young.set(key, aged);
    }
    return aged;
  }

  set(key: string, value: V): void {
    if (!this.young.has(key) && !this.old.delete(key) && this.size >= this.max) this.evict();
    this.young.set(key, value);
  }

  delete(key: string): void {
    if (!this.young.delete(key)) this.old.delete(key);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  private evict(): void {
    if (this.old.size === 0) [this.old, this.young] = [this.young, this.old];
    const oldest = this.old.keys().next();
    if (!oldest.done) this.old.delete(oldest.value);
  }
}
