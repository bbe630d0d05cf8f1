// A fixed-size ring of the most recent records (GET /v1/events), O(1) per push.
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    const end = (this.start + this.size) % this.capacity;
    this.items[end] = item;
    if (this.size < this.capacity) this.size++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.items[(this.start + i) % this.capacity]!);
    return out;
  }

  /** Items after the first index where `after` holds, oldest first, at most `limit`. Binary search: items are ordered. */
  sliceWhere(isAfter: (item: T) => boolean, limit: number): T[] {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (isAfter(this.items[(this.start + mid) % this.capacity]!)) hi = mid;
      else lo = mid + 1;
    }
    const out: T[] = [];
    for (let i = lo; i < this.size && out.length < limit; i++) out.push(this.items[(this.start + i) % this.capacity]!);
    return out;
  }
}
