// Plumbing shared by the runners that call a remote agent platform over HTTP.
export { exchange, fetchWithIdleTimeout, readEventAnswer, readJsonAnswer, sendJson, tryParseJson, type IdleFetchOptions, type IdleResponse, type JsonRequest } from './http.js';
export {
  answeredStatusError,
  cutOffError,
  errorBodyDetail,
  httpStatusError,
  maskSecrets,
  networkFailure,
  platformError,
  type RemotePlatform,
  type TransportFailure,
} from './http-errors.js';
export { readMedia, type MediaFile, type MediaOptions } from './media.js';
export { RemoteIds, conversationOf, type RemoteIdCalls, type RemoteIdLink } from './remote-ids.js';
export { readJsonLines, readSse, readText, type SseEvent } from './sse.js';
export { GrowingReply, ReplyChunks, finalReply, partialReply } from './streamed-reply.js';
