/**
 * Serves the frontend example with Vite's dev server, on its own origin (so the browser meets the gateway's
 * CORS, API key and CSRF rules as any frontend would). `npm run example` runs it; tests call `startExample`.
 */
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';

export const DEFAULT_GATEWAY_URL = 'http://localhost:4000/graphql';

export interface ExampleOptions {
  /** Default 5173. */
  readonly port?: number;
  /** Default `localhost`. */
  readonly host?: string;
  /** The gateway's GraphQL URL the page calls. Default DEFAULT_GATEWAY_URL. */
  readonly gatewayUrl?: string;
}

export interface Example {
  /** Where the page is served, e.g. `http://localhost:5173/`. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startExample(options: ExampleOptions = {}): Promise<Example> {
  const server: ViteDevServer = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('.', import.meta.url)),
    logLevel: 'warn',
    clearScreen: false,
    define: { 'import.meta.env.VITE_GATEWAY_URL': JSON.stringify(options.gatewayUrl ?? DEFAULT_GATEWAY_URL) },
    // The page's one package at run time (graphql-ws's client, for live updates); nothing else to look for.
    optimizeDeps: { noDiscovery: true, include: ['graphql-ws/client'] },
    server: { port: options.port ?? 5173, host: options.host ?? 'localhost', strictPort: true },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the example started but reports no local URL');
  return { url, close: () => server.close() };
}

// `npm run example`: VITE_GATEWAY_URL and EXAMPLE_PORT are read here, at the edge, and nowhere else.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const gatewayUrl = process.env['VITE_GATEWAY_URL'] || DEFAULT_GATEWAY_URL;
  const port = process.env['EXAMPLE_PORT'] ? Number(process.env['EXAMPLE_PORT']) : undefined;
  const example = await startExample({ gatewayUrl, ...(port ? { port } : {}) });
  console.log(`Frontend example: ${example.url}`);
  console.log(`  calling the gateway at ${gatewayUrl} (set VITE_GATEWAY_URL to change; start one with npm start)`);
  const stop = () => void example.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
