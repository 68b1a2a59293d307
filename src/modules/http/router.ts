// One route table for the one HTTP server: each module adds its routes (GET /healthz, the merchant API, the
// checkout page, webhooks). A path ending in `/*` matches everything below it (`/pay/*` → `/pay/ABC`).
// Unknown paths get a JSON 404.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

export interface Route {
  /** GET routes answer HEAD too (no body). */
  method: 'GET' | 'POST';
  /** Matched exactly, without the query string; or, ending in `/*`, any path below it. */
  path: string;
  handle: RouteHandler;
}

export function createRouter(routes: readonly Route[] = []) {
  const exact = new Map<string, RouteHandler>();
  const prefixes: Array<{ method: string; prefix: string; handle: RouteHandler }> = [];
  const keyOf = (method: string | undefined, path: string) => `${method ?? ''} ${path}`;
  const find = (method: string, path: string) =>
    exact.get(keyOf(method, path)) ??
    prefixes.find((route) => route.method === method && path.startsWith(route.prefix))?.handle;
  const router = {
    add(route: Route) {
      const key = keyOf(route.method, route.path);
      if (exact.has(key) || prefixes.some((p) => keyOf(p.method, `${p.prefix}*`) === key)) {
        throw new Error(`route ${key} added twice`);
      }
      if (route.path.endsWith('/*')) {
        prefixes.push({ method: route.method, prefix: route.path.slice(0, -1), handle: route.handle });
        prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
      } else exact.set(key, route.handle);
      return router;
    },
    async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
      const path = request.url?.split('?')[0] ?? '';
      const method = request.method === 'HEAD' ? 'GET' : (request.method ?? '');
      const handler = find(method, path);
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
