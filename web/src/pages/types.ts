import type { ComponentChildren } from 'preact';

/** A page's routes: `/bots` and `/bots/:uuid`, rendered with the matched params. */
export interface PageRoute {
  pattern: string;
  render(params: Record<string, string>): ComponentChildren;
}
