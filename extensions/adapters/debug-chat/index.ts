/**
 * langbot.adapter-debug-chat: talk to a pipeline from the console (or any WebSocket client) without a platform.
 * The `debug-chat` service speaks the protocol frame by frame, so the HTTP extension can carry it on its own
 * socket; `port` also opens a standalone WebSocket endpoint.
 */
import { RpcError, RpcErrorCode, defineExtension } from '@langbot-ts/sdk';
import { debugChatAdapter } from './adapter.js';
import { DebugChatHub } from './hub.js';
import { startServer } from './server.js';

export default defineExtension({
  async activate(ctx) {
    const hub = new DebugChatHub(ctx, () => String(ctx.config.token ?? ''));
    ctx.provide('adapters', 'debug-chat', debugChatAdapter(hub));
    const connection = (id: unknown) => {
      const found = typeof id === 'string' ? hub.connections.get(id) : undefined;
      if (!found) throw new RpcError(RpcErrorCode.NotFound, `No debug-chat connection '${String(id)}'.`);
      return found;
    };
    ctx.provideService('debug-chat', {
      open: (args: { pipeline_uuid?: unknown; session_type?: unknown; authenticated?: unknown }) => {
        if (typeof args?.pipeline_uuid !== 'string' || !args.pipeline_uuid) throw new RpcError(RpcErrorCode.ValidationFailed, '`pipeline_uuid` is required.');
        const type = args.session_type ?? 'person';
        if (type !== 'person' && type !== 'group') throw new RpcError(RpcErrorCode.ValidationFailed, "`session_type` must be 'person' or 'group'.");
        return { connection_id: hub.open(args.pipeline_uuid, type, args.authenticated === true).id };
      },
      send: (args: { connection_id?: unknown; frame?: unknown }) => {
        hub.receive(connection(args.connection_id), typeof args.frame === 'string' ? args.frame : JSON.stringify(args.frame));
        return { ok: true };
      },
      frames: (args: { connection_id?: unknown }) => connection(args.connection_id).frames(),
      close: (args: { connection_id?: unknown }) => {
        hub.connections.get(String(args.connection_id))?.close('Closed by the server.');
        return { ok: true };
      },
    });
    const port = Number(ctx.config.port ?? 0);
    if (port > 0) {
      const { server, port: bound } = await startServer(hub, port, String(ctx.config.host ?? '127.0.0.1'));
      ctx.log.info(`Debug chat listening on ws://${String(ctx.config.host ?? '127.0.0.1')}:${bound}/api/v1/pipelines/<pipeline_uuid>/ws/connect`);
      ctx.onDispose(() => new Promise<void>((resolve) => server.close(() => resolve())));
    }
    ctx.onDispose(() => {
      for (const c of [...hub.connections.values()]) c.close('The debug chat is stopping.');
    });
  },
});
