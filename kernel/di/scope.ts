import 'reflect-metadata';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { Disposer } from '../api/extension.js';

/**
 * Everything one extension owns: a tsyringe child container for its own objects, and a disposer for every
 * registration it made anywhere else in the kernel. Disposing the scope undoes all of it, newest first.
 */
export class ExtensionScope {
  readonly container: DependencyContainer;
  private readonly disposers: Disposer[] = [];
  private disposed = false;

  constructor(
    readonly owner: string,
    parent: DependencyContainer,
  ) {
    this.container = parent.createChildContainer();
  }

  /** Registers a value in this extension's container; it is gone once the scope is disposed. */
  provideValue<T>(token: InjectionToken<T>, value: T): void {
    this.assertOpen();
    this.container.register(token, { useValue: value });
  }

  /** Takes ownership of a registration made elsewhere; returns a disposer that also releases it early. */
  own(disposer: Disposer): Disposer {
    this.assertOpen();
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      const i = this.disposers.indexOf(once);
      if (i >= 0) this.disposers.splice(i, 1);
      disposer();
    };
    this.disposers.push(once);
    return once;
  }

  get size(): number {
    return this.disposers.length;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const dispose of this.disposers.splice(0).reverse()) {
      try {
        dispose();
      } catch (e) {
        errors.push(e);
      }
    }
    this.container.reset();
    await this.container.dispose();
    if (errors.length) throw new AggregateError(errors, `Disposing '${this.owner}' failed in ${errors.length} place(s).`);
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error(`The scope of '${this.owner}' is already disposed.`);
  }
}
