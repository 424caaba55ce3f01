import { createHash } from 'node:crypto';

/** A seedable pseudo-random source (sfc32), so pass codes and injected faults repeat run after run. */
export class SeededRandom {
  private state: Uint32Array;

  constructor(seed: string) {
    // Derive four 32-bit words from the seed text; sfc32 needs a non-degenerate start state.
    const digest = createHash('sha256').update(seed).digest();
    this.state = new Uint32Array([digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), 1]);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.state;
    const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0;
    s[3] = (s[3] + 1) >>> 0;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = (s[2] + (s[2] << 3)) >>> 0;
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0;
    s[2] = (s[2] + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** A version-4-shaped UUID drawn from this stream (deterministic ids for passes). */
  uuid(): string {
    const bytes = Buffer.alloc(16);
    for (let i = 0; i < 16; i += 4) bytes.writeUInt32LE(this.nextUint32(), i);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

// No look-alike characters (0/O, 1/l/I) so a pass read aloud over the phone survives.
const passAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%&*?';

/** Generates a pass code of the given length from letters, digits and a few symbols. */
export function generatePassCode(random: SeededRandom, length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += passAlphabet[random.below(passAlphabet.length)];
  return code;
}
