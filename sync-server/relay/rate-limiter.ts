/**
 * Per-connection token buckets, one for messages and one for bytes. A bucket holds up to `burst`
 * tokens and refills at `perSecond`; a message takes one message token and its length in byte tokens.
 * Refill is computed lazily from the injected clock on each take, so an idle connection costs nothing
 * and tests control time without sleeping.
 */
export interface RateLimits {
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  readonly bytesPerSecond: number;
  /** At least the relay's maxPayload, or one maximal message could never pass. */
  readonly byteBurst: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  messagesPerSecond: 200,
  messageBurst: 1_000,
  bytesPerSecond: 2 * 1024 * 1024,
  byteBurst: 8 * 1024 * 1024,
};

class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;
  private readonly perSecond: number;

  constructor(burst: number, perSecond: number, now: number) {
    this.burst = burst;
    this.perSecond = perSecond;
    this.tokens = burst;
    this.last = now;
  }

  take(amount: number, now: number): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.perSecond);
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

export class ConnectionRateLimiter {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly clock: () => number;

  constructor(limits: RateLimits, clock: () => number) {
    this.clock = clock;
    const now = clock();
    this.messages = new TokenBucket(limits.messageBurst, limits.messagesPerSecond, now);
    this.bytes = new TokenBucket(limits.byteBurst, limits.bytesPerSecond, now);
  }

  /** Whether a message of `length` bytes may pass now; false means the connection is over its limits. */
  allow(length: number): boolean {
    const now = this.clock();
    // Both buckets are charged even when the first refuses: a refused connection is closed anyway.
    const messageOk = this.messages.take(1, now);
    const bytesOk = this.bytes.take(length, now);
    return messageOk && bytesOk;
  }
}
