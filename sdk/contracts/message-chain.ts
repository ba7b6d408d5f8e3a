/**
 * Message-chain components: the unified message body every adapter converts to and from.
 * Field names follow upstream LangBot so chains exchanged with upstream tooling keep their meaning.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Platform ids are integers on some platforms and strings on others. */
export const IdSchema = Type.Union([Type.String(), Type.Number()]);
export type Id = Static<typeof IdSchema>;

const Opt = <T extends TSchema>(schema: T) => Type.Optional(schema);

/** The component schemas, with every nested chain typed by `chain` (the recursive chain, or a shallow array). */
export function componentSchemas<C extends TSchema>(chain: C) {
  return {
    // `time` is Unix seconds; on the wire it travels as `timestamp` (see the codec).
    Source: Type.Object({ type: Type.Literal('Source'), id: IdSchema, time: Type.Number() }),
    Plain: Type.Object({ type: Type.Literal('Plain'), text: Type.String() }),
    Quote: Type.Object({
      type: Type.Literal('Quote'),
      id: Opt(IdSchema),
      group_id: Opt(IdSchema),
      sender_id: Opt(IdSchema),
      target_id: Opt(IdSchema),
      origin: chain,
    }),
    At: Type.Object({ type: Type.Literal('At'), target: IdSchema, display: Opt(Type.String()) }),
    AtAll: Type.Object({ type: Type.Literal('AtAll') }),
    Image: Type.Object({
      type: Type.Literal('Image'),
      image_id: Opt(Type.String()),
      url: Opt(Type.String()),
      path: Opt(Type.String()),
      /** Data-URI form: `data:<mime>;base64,…`. */
      base64: Opt(Type.String()),
    }),
    Voice: Type.Object({
      type: Type.Literal('Voice'),
      voice_id: Opt(Type.String()),
      url: Opt(Type.String()),
      path: Opt(Type.String()),
      base64: Opt(Type.String()),
      /** Duration in seconds. */
      length: Opt(Type.Number()),
    }),
    File: Type.Object({
      type: Type.Literal('File'),
      id: Opt(Type.String()),
      name: Opt(Type.String()),
      size: Opt(Type.Number()),
      url: Opt(Type.String()),
      path: Opt(Type.String()),
      base64: Opt(Type.String()),
    }),
    Forward: Type.Object({
      type: Type.Literal('Forward'),
      display: Opt(
        Type.Object({
          title: Opt(Type.String()),
          brief: Opt(Type.String()),
          source: Opt(Type.String()),
          preview: Opt(Type.Array(Type.String())),
          summary: Opt(Type.String()),
        }),
      ),
      node_list: Type.Array(
        Type.Object({
          sender_id: Opt(IdSchema),
          sender_name: Opt(Type.String()),
          message_chain: chain,
          message_id: Opt(IdSchema),
        }),
      ),
    }),
    Face: Type.Object({
      type: Type.Literal('Face'),
      face_type: Opt(Type.Union([Type.Literal('face'), Type.Literal('dice'), Type.Literal('rps')])),
      face_id: Opt(Type.Number()),
      face_name: Opt(Type.String()),
    }),
    /** Anything that could not be understood; `raw` keeps the original data so nothing is lost. */
    Unknown: Type.Object({ type: Type.Literal('Unknown'), text: Type.String(), raw: Opt(Type.Unknown()) }),
    /** Platform-only content that has no unified component. */
    Platform: Type.Object({
      type: Type.Literal('Platform'),
      platform: Type.String(),
      component_type: Type.String(),
      data: Opt(Type.Record(Type.String(), Type.Unknown())),
    }),
  };
}

export const COMPONENT_TYPES = [
  'Source',
  'Plain',
  'Quote',
  'At',
  'AtAll',
  'Image',
  'Voice',
  'File',
  'Forward',
  'Face',
  'Unknown',
  'Platform',
] as const;
export type ComponentType = (typeof COMPONENT_TYPES)[number];

export const MessageChainSchema = Type.Recursive(
  (This) => {
    const c = componentSchemas(This);
    return Type.Array(
      Type.Union([c.Source, c.Plain, c.Quote, c.At, c.AtAll, c.Image, c.Voice, c.File, c.Forward, c.Face, c.Unknown, c.Platform]),
    );
  },
  { $id: 'MessageChain' },
);

export type MessageChain = Static<typeof MessageChainSchema>;
export type MessageComponent = MessageChain[number];
export type ComponentOf<T extends ComponentType> = Extract<MessageComponent, { type: T }>;

export type Source = ComponentOf<'Source'>;
export type Plain = ComponentOf<'Plain'>;
export type Quote = ComponentOf<'Quote'>;
export type At = ComponentOf<'At'>;
export type AtAll = ComponentOf<'AtAll'>;
export type Image = ComponentOf<'Image'>;
export type Voice = ComponentOf<'Voice'>;
export type File = ComponentOf<'File'>;
export type Forward = ComponentOf<'Forward'>;
export type ForwardNode = Forward['node_list'][number];
export type Face = ComponentOf<'Face'>;
export type Unknown = ComponentOf<'Unknown'>;
export type Platform = ComponentOf<'Platform'>;
