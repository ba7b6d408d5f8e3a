import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { compileSchema, type SchemaCheck } from './schema-check.js';

/**
 * A method is defined once: its TypeBox schemas give both the TypeScript types and the runtime validators.
 * `permission` names what the caller must have been granted for the receiver to run it.
 */
export interface MethodSpec<P extends TObject = TObject, R extends TSchema = TSchema, S extends boolean = boolean> {
  readonly name: string;
  readonly params: P;
  readonly result: R;
  readonly stream: S;
  readonly permission?: string;
  readonly notification?: boolean;
}

export type ParamsOf<M> = M extends MethodSpec<infer P, any, any> ? Static<P> : never;
export type ResultOf<M> = M extends MethodSpec<any, infer R, any> ? Static<R> : never;

export function defineMethod<P extends TObject, R extends TSchema>(
  name: string,
  spec: { params: P; result: R; permission?: string },
): MethodSpec<P, R, false> {
  return { name, stream: false, ...spec };
}

/** A streaming method: the handler yields items of `item`, the caller iterates them with backpressure. */
export function defineStream<P extends TObject, I extends TSchema>(
  name: string,
  spec: { params: P; item: I; permission?: string },
): MethodSpec<P, I, true> {
  return { name, stream: true, params: spec.params, result: spec.item, permission: spec.permission };
}

export function defineNotification<P extends TObject>(name: string, spec: { params: P; permission?: string }): MethodSpec<P, ReturnType<typeof Type.Null>, false> {
  return { name, stream: false, notification: true, params: spec.params, result: Type.Null(), permission: spec.permission };
}

const checks = new WeakMap<TSchema, SchemaCheck>();

/** Compiled validator for a schema, cached per schema object. */
export function checkerFor(schema: TSchema): SchemaCheck {
  let check = checks.get(schema);
  if (!check) {
    check = compileSchema(schema);
    checks.set(schema, check);
  }
  return check;
}
