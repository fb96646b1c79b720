// `explore model.yaml`: the interactive simulator in the browser. Serves the diagram page on
// 127.0.0.1 only, on a free port (printed); stops on Ctrl-C. Wiring only: the model side is
// sim/explorer.ts, the page is report/html/.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { loadModelFile } from '../config/load.ts';
import { resolveModel, type ResolvedModel } from '../config/resolve.ts';
import { ConfigError, SpecError } from '../core/errors.ts';
import { diagramData } from '../report/diagram-data.ts';
import { renderPage } from '../report/html/page.ts';
import { formatSpecError, writeTrace } from '../run/check-model.ts';
import { EXIT } from '../run/exit-codes.ts';
import { ExplorerSession } from '../sim/explorer.ts';
import { randomSeed } from '../sim/prng.ts';

const USAGE = `usage: explore <model.yaml> [--port N] [--seed S] [--traces DIR]

  Serves an interactive simulator of the model on http://127.0.0.1 (loopback only): start from an
  initial state, see the enabled steps, take one, go back, run ahead at random, and save the path
  as a trace file that replay accepts. Ctrl-C stops it.

options:
  --port N       port to listen on (default: a free one, printed)
  --seed S       seed of the random runs (default: fresh, printed)
  --traces DIR   where saved paths go (default traces/)
  -h, --help     this help`;

export interface ExploreServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens. */
export async function startExplorer(resolved: ResolvedModel, options: { port?: number; seed?: number; tracesDir?: string }): Promise<ExploreServer> {
  const session = new ExplorerSession(resolved.model, options.seed ?? randomSeed());
  const { model } = resolved;
  const page = renderPage(`explore ${resolved.config.name}`, `${resolved.definition.name} · ${Object.entries(resolved.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`, null, { explore: true });
  let message = '';

  const state = (): unknown => {
    const violated = session.violated();
    return {
      steps: session.path.length - 1,
      inits: model.init.length,
      violated: violated ?? null,
      message,
      enabled: session.enabled(),
      diagram: diagramData(model, session.path, {
        title: `${resolved.config.name}: the path so far`,
        ...(violated ? { property: { name: violated, kind: 'invariant' }, violated: true } : {}),
      }),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (code: number, type: string, body: string): void => {
      res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/') return send(200, 'text/html; charset=utf-8', page);
    if (!url.pathname.startsWith('/api/')) return send(404, 'text/plain', 'not found');
    const body = req.method === 'POST' ? await readBody(req) : {};
    message = '';
    switch (url.pathname) {
      case '/api/state':
        break;
      case '/api/step':
        if (!session.step(Number(body.index))) message = `no enabled step ${String(body.index)}`;
        break;
      case '/api/back':
        if (!session.back()) message = 'already at the initial state';
        break;
      case '/api/reset':
        session.reset(body.init === undefined ? undefined : Number(body.init));
        break;
      case '/api/random': {
        const n = Math.max(1, Math.min(10_000, Math.floor(Number(body.steps) || 20)));
        const took = session.random(n);
        message = took < n ? `took ${took} random steps (then no step was enabled)` : `took ${took} random steps`;
        break;
      }
      case '/api/save': {
        const violated = session.violated();
        const says = violated ? model.invariants.find((p) => p.name === violated)?.says : 'a path chosen in explore';
        const file = writeTrace(options.tracesDir ?? 'traces', resolved, violated ? 'invariant' : 'path', violated ?? 'explore', says, session.path);
        message = `saved ${file}`;
        break;
      }
      default:
        return send(404, 'application/json', JSON.stringify({ error: 'no such call' }));
    }
    send(200, 'application/json', JSON.stringify(state()));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const text = e instanceof SpecError ? formatSpecError(e, resolved.config.spec.module) : String((e as Error).message ?? e);
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: text }));
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    }),
  };
}

function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((ok, fail) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      text += c;
      if (text.length > 100_000) req.destroy(new Error('request too large'));
    });
    req.on('end', () => {
      try {
        const v: unknown = text ? JSON.parse(text) : {};
        ok(typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
      } catch {
        ok({});
      }
    });
    req.on('error', fail);
  });
}

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { port: { type: 'string' }, seed: { type: 'string' }, traces: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    process.stderr.write(`explore: ${(e as Error).message}\n\n${USAGE}\n`);
    return EXIT.config;
  }
  const { values: v, positionals } = args;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const port = v.port === undefined ? 0 : Number(v.port);
  const seed = v.seed === undefined ? randomSeed() : Number(v.seed);
  if (positionals.length !== 1 || !Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    process.stderr.write(`explore: ${positionals.length !== 1 ? 'give one model file' : 'bad --port or --seed'}\n\n${USAGE}\n`);
    return EXIT.config;
  }
  let resolved: ResolvedModel;
  try {
    resolved = await resolveModel(loadModelFile(positionals[0]));
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.format()}\n`);
      return EXIT.config;
    }
    if (e instanceof SpecError) {
      process.stderr.write(`${formatSpecError(e)}\n`);
      return EXIT.spec;
    }
    throw e;
  }
  let server: ExploreServer;
  try {
    server = await startExplorer(resolved, { port, seed, tracesDir: v.traces });
  } catch (e) {
    process.stderr.write(`explore: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}\n`);
    return EXIT.config;
  }
  process.stdout.write(`explore ${resolved.config.name}: ${server.url}  (seed ${seed}; Ctrl-C to stop)\n`);
  await new Promise<void>((ok) => {
    const stop = (): void => void server.close().then(ok);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stdout.write('explore: stopped\n');
  return EXIT.ok;
}
