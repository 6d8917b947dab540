// Types of the `lz4js` package (it ships none): the one function read-arrow.ts uses.
declare module 'lz4js' {
  /** Decompresses an LZ4 frame. */
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array | number[];
}
