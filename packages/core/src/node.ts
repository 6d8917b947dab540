/**
 * Node-only helpers of `@deltaflow/core`: files written atomically (temporary file, fsync, rename).
 *
 * @packageDocumentation
 */
export { AtomicFile, openFileAtomic, writeFileAtomic } from './atomic-file.js';
export type { AtomicWriteOptions } from './atomic-file.js';
