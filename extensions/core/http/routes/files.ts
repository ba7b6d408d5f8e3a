/**
 * `/api/v1/files/*`: image and document uploads (multipart field `file`, at most 10 MiB) answered with a storage
 * key, and the bytes of an uploaded image by its key.
 */
import { Type } from '@sinclair/typebox';
import { badRequest, notFound } from '../api/envelope.js';
import { defineRoutes } from '../api/routes.js';
import type { Principal } from '../auth/guard.js';
import { IMAGE_EXTENSIONS, detectImage } from '../files/image-types.js';
import { KEY_PATTERN, makeKey, type FileStore } from '../files/store.js';
import { readUpload } from '../files/upload.js';

/** Owner types whose objects the image route serves; documents are never served back (they could be HTML). */
const SERVED_AS_IMAGE = new Set(['upload_image', 'bot_log']);
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

const uploader = (principal: Principal | undefined) => (principal?.kind === 'user' ? principal.uuid : principal?.kind === 'key' ? `apikey:${principal.key.uuid}` : null);

export function fileRoutes(store: FileStore) {
  return defineRoutes([
    {
      method: 'POST',
      url: '/api/v1/files/images',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Upload an image (multipart field `file`: jpg, jpeg, png, gif or webp, at most 10 MiB) → {file_key}',
      tags: ['files'],
      handler: async ({ raw, principal }) => {
        const upload = await readUpload(raw);
        const claimed = IMAGE_EXTENSIONS[upload.ext];
        if (!claimed) throw badRequest(`\`file\` must be a ${Object.keys(IMAGE_EXTENSIONS).join(', ')} image; '${upload.filename}' is not.`);
        const actual = detectImage(upload.bytes);
        if (!actual) throw badRequest(`\`file\` is named .${upload.ext} but its content is not a jpg, png, gif or webp image.`);
        if (actual.ext !== claimed) throw badRequest(`\`file\` is named .${upload.ext} but its content is a ${actual.ext} image.`);
        const key = makeKey(upload.filename, upload.ext);
        await store.save({ key, owner_type: 'upload_image', filename: upload.filename, content_type: actual.contentType, created_by: uploader(principal) }, upload.bytes);
        return { file_key: key };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/files/documents',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Upload a document (multipart field `file`, at most 10 MiB) → {file_key}, e.g. for a knowledge base',
      tags: ['files'],
      handler: async ({ raw, principal }) => {
        const upload = await readUpload(raw);
        if (upload.ext && !/^[a-z0-9]{1,16}$/.test(upload.ext)) throw badRequest(`The extension of \`file\` ('.${upload.ext}') may hold only letters a-z and digits.`);
        const key = makeKey(upload.filename, upload.ext);
        const content_type = MIME.test(upload.mimetype) ? upload.mimetype.toLowerCase() : 'application/octet-stream';
        await store.save({ key, owner_type: 'upload_document', filename: upload.filename, content_type, created_by: uploader(principal) }, upload.bytes);
        return { file_key: key };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/files/image/:key',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'The bytes of an uploaded image, with its content type',
      tags: ['files'],
      params: Type.Object({ key: Type.String() }),
      raw: true,
      handler: async ({ params, reply }) => {
        // Keys are looked up, never joined into a path; anything that is not a key we make is simply unknown.
        const found = KEY_PATTERN.test(params.key) ? await store.find(params.key) : undefined;
        if (!found || !SERVED_AS_IMAGE.has(found.owner_type)) throw notFound(`No image '${params.key}'.`);
        const bytes = await store.read(found);
        return reply
          .header('content-type', found.content_type)
          .header('content-length', bytes.length)
          .header('cache-control', 'private, max-age=31536000, immutable')
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'")
          .send(bytes);
      },
    },
  ]);
}
