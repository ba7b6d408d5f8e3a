/** The version of the kernel API that manifests' `engines.langbot` ranges are checked against. */
export const KERNEL_API_VERSION = '0.1.0';
