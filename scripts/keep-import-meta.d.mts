import type { Plugin } from 'esbuild';
export declare function rewriteImportMeta(source: string, file: string): string;
export declare const keepImportMeta: Plugin;
