// Bit-level writer and reader used by every state encoding.
// One writer is reused for the whole run: encoding a state allocates nothing.

/** Writes little-endian bit fields (at most 24 bits per call) into a growable byte buffer. */
export class BitWriter {
  buf: Uint8Array;
  pos = 0;
  acc = 0;
  nbits = 0;

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(initialBytes);
  }

  reset(): void {
    this.pos = 0;
    this.acc = 0;
    this.nbits = 0;
  }

  /** Appends the low `bits` bits of `v` (0 <= bits <= 24). */
  write(v: number, bits: number): void {
    this.acc |= v << this.nbits;
    this.nbits += bits;
    while (this.nbits >= 8) {
      if (this.pos >= this.buf.length) this.grow();
      this.buf[this.pos++] = this.acc & 255;
      this.acc >>>= 8;
      this.nbits -= 8;
    }
  }

  /** Appends a non-negative integer of any width up to 48 bits. */
  writeWide(v: number, bits: number): void {
    while (bits > 24) {
      this.write(v % 0x1000000, 24);
      v = Math.floor(v / 0x1000000);
      bits -= 24;
    }
    this.write(v, bits);
  }

  /** Pads to a byte boundary and returns the number of bytes written. */
  finish(): number {
    if (this.nbits > 0) {
      if (this.pos >= this.buf.length) this.grow();
      this.buf[this.pos++] = this.acc & 255;
      this.acc = 0;
      this.nbits = 0;
    }
    return this.pos;
  }

  /** A copy of what has been written (after finish). */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** Makes room for at least `bytes` more bytes. */
  ensure(bytes: number): void {
    while (this.pos + bytes > this.buf.length) this.grow();
  }

  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }
}

/** Reads what a BitWriter wrote, in the same order. */
export class BitReader {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  acc = 0;
  nbits = 0;

  reset(buf: Uint8Array, start = 0, end = buf.length): this {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.acc = 0;
    this.nbits = 0;
    return this;
  }

  read(bits: number): number {
    while (this.nbits < bits) {
      const byte = this.pos < this.end ? this.buf[this.pos] : 0;
      this.pos++;
      this.acc |= byte << this.nbits;
      this.nbits += 8;
    }
    const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
    const v = (this.acc & mask) >>> 0;
    this.acc >>>= bits;
    this.nbits -= bits;
    return v;
  }

  readWide(bits: number): number {
    let v = 0;
    let scale = 1;
    while (bits > 24) {
      v += this.read(24) * scale;
      scale *= 0x1000000;
      bits -= 24;
    }
    return v + this.read(bits) * scale;
  }
}

/** Bits needed to write any integer in 0..n-1 (0 when n <= 1). */
export function bitsFor(n: number): number {
  if (n <= 1) return 0;
  return Math.ceil(Math.log2(n));
}
