/**
 * Node-only helpers of `@deltaflow/data`: reading CSV files and streams, and Arrow IPC (Feather v2) files, from disk.
 *
 * @packageDocumentation
 */
export { readCsv, readCsvColumns, readCsvStream } from './read-csv.js';
export { readArrow, readArrowColumns } from './read-arrow.js';
export type { ArrowOptions } from './read-arrow.js';
export { CACHE_GROUP_ROWS, CacheSource, CsvCache, csvCachePath, openCsvCache } from './csv-cache.js';
export type { CacheHeader, CachePart, CacheSourceOptions, CsvCacheOptions } from './csv-cache.js';
