/**
 * Node-only helpers of `@deltaflow/data`: reading CSV files from disk.
 *
 * @packageDocumentation
 */
export { readCsv } from './read-csv.js';
