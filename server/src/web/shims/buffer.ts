// The few Buffer operations the engine uses on text (UTF-8 byte lengths, byte prefixes, comparisons),
// for the browser bundle: esbuild.mjs injects this wherever the global `Buffer` is named. Only UTF-8 is
// spoken; disk reads (the other Buffer users) never run in the browser.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

class BrowserBuffer extends Uint8Array {
  static byteLength(text: string): number {
    return encoder.encode(text).length;
  }

  static alloc(size: number): BrowserBuffer {
    return new BrowserBuffer(size);
  }

  static concat(parts: Uint8Array[]): BrowserBuffer {
    const out = new BrowserBuffer(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  equals(other: Uint8Array): boolean {
    return this.length === other.length && this.every((b, i) => b === other[i]);
  }

  override subarray(start?: number, end?: number): BrowserBuffer {
    return fromBytes(Uint8Array.prototype.slice.call(this, start, end));
  }

  override toString(): string {
    return decoder.decode(this);
  }
}

function fromBytes(value: string | ArrayLike<number>): BrowserBuffer {
  const bytes = typeof value === 'string' ? encoder.encode(value) : value;
  const out = new BrowserBuffer(bytes.length);
  out.set(bytes);
  return out;
}

// Node's Buffer.from shadows Uint8Array.from the same way (text or bytes, not a mapping).
export const Buffer = Object.assign(BrowserBuffer, { from: fromBytes });
