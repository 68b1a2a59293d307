// One route table for the one HTTP server: each module adds its routes (GET /healthz now; the merchant API,
// checkout and webhooks of issues 9–12 later). Unknown paths get a JSON 404.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

export interface Route {
  method: 'GET' | 'POST';
  /** Matched exactly, without the query string. */
  path: string;
  handle: RouteHandler;
}

export function createRouter(routes: readonly Route[] = []) {
  const table = new Map<string, RouteHandler>();
  const keyOf = (method: string | undefined, path: string) => `${method ?? ''} ${path}`;
  const router = {
    add(route: Route) {
      const key = keyOf(route.method, route.path);
      if (table.has(key)) throw new Error(`route ${key} added twice`);
      table.set(key, route.handle);
      return router;
    },
    async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
      const handler = table.get(keyOf(request.method, request.url?.split('?')[0] ?? ''));
      if (!handler) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      await handler(request, response);
    },
  };
  for (const route of routes) router.add(route);
  return router;
}

export type Router = ReturnType<typeof createRouter>;
