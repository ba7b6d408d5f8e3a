/** Reads the one file of a multipart upload (field `file`) into memory, refusing anything larger than the limit. */
import type { FastifyRequest } from 'fastify';
import { ApiError, badRequest } from '../api/envelope.js';

/** Upstream's limit for image and document uploads. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Room for the multipart boundaries and part headers around the file. */
const ENVELOPE_BYTES = 64 * 1024;

export interface Upload {
  filename: string;
  /** The lower-case text after the last dot, or '' when there is none. */
  ext: string;
  mimetype: string;
  bytes: Buffer;
}

export const tooLarge = (limit: number) => new ApiError(413, 'too_large', `The file is larger than ${limit / (1024 * 1024)} MiB.`);

export async function readUpload(request: FastifyRequest, limit = MAX_UPLOAD_BYTES): Promise<Upload> {
  if (!request.isMultipart()) throw badRequest('Send the file as multipart/form-data in the field `file`.');
  // A declared length that cannot fit is refused before anything is read.
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit + ENVELOPE_BYTES) throw tooLarge(limit);
  const part = await request.file({ limits: { fileSize: limit, files: 1, fields: 10, parts: 11 } });
  if (!part) throw badRequest('`file` is missing: send the file in the multipart field `file`.');
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw badRequest(`\`file\` is missing: the upload is in the field \`${part.fieldname}\`.`);
  }
  const filename = part.filename ?? '';
  if (!filename || filename.length > 255) throw badRequest('`file` needs a file name of 1 to 255 characters.');
  if (/[/\\\0]/.test(filename) || filename === '.' || filename === '..') throw badRequest('The name of `file` must not contain a path.');
  let bytes: Buffer;
  try {
    bytes = await part.toBuffer();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(limit);
    throw error;
  }
  // toBuffer() misses the limit when nothing follows the cut at a chunk boundary; the stream still knows.
  if (part.file.truncated) throw tooLarge(limit);
  if (bytes.length === 0) throw badRequest('`file` is empty.');
  const dot = filename.lastIndexOf('.');
  return { filename, ext: dot > 0 ? filename.slice(dot + 1).toLowerCase() : '', mimetype: part.mimetype, bytes };
}
