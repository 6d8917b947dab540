/**
 * Node-only helpers of `@deltaflow/data`: reading CSV files and streams from disk.
 *
 * @packageDocumentation
 */
export { readCsv, readCsvColumns, readCsvStream } from './read-csv.js';
