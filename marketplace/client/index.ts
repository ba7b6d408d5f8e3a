export { RegistryClient, defaultCacheDir, type ClientOptions, type IndexResult, type MirrorFailure } from './registry-client.js';
export { searchEntries, type SearchQuery } from './search.js';
export { permissionInWords, permissionsInWords } from './permission-words.js';
