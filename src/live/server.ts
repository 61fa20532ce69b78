/**
 * The live view's local web server (`actbench serve DIR`, `actbench run
 * --live`): the page, its fragments as JSON, and server-sent events that say
 * when a run has finished. It polls the folder (a directory listing and a few
 * stats, once a second) rather than watching it: fs.watch is unreliable on
 * network and container file systems, where long sweeps tend to run. Once a
 * second at most it re-renders, so a fast sweep does not spend its main
 * thread drawing charts.
 *
 * It binds to the loopback address unless told otherwise, and on loopback it
 * answers only requests addressed to a loopback name (a DNS-rebinding page
 * elsewhere cannot read the results through the browser).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { UserError } from "../errors.js";
import { renderFragments, renderPage, type LiveFragments } from "./page.js";
import { LiveReader } from "./state.js";

export interface LiveOptions {
  /** Address to bind (default 127.0.0.1, this machine only). */
  host?: string;
  /** Port; default: the first free one from DEFAULT_PORT on. 0 picks any free port. */
  port?: number;
  /** How often the folder is checked, ms (default 1000). */
  pollMs?: number;
}

export const DEFAULT_PORT = 7007;
const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

export interface LiveServer {
  /** http://host:port/ */
  url: string;
  host: string;
  port: number;
  /** Tells the open pages the view has stopped, and closes every connection. */
  close(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost" || host.startsWith("127.");
}

/** Serves the live view of `dir` (which need not exist yet: a sweep about to start creates it). */
export async function startLiveServer(dir: string, opts: LiveOptions = {}): Promise<LiveServer> {
  const host = opts.host ?? "127.0.0.1";
  const reader = new LiveReader(dir);
  let fingerprint = "";
  let version = 0;
  let fragments: LiveFragments = await renderFragments(reader.read(), version);
  fingerprint = reader.fingerprint();
  const clients = new Set<ServerResponse>();

  // One refresh at a time; a change seen while rendering is picked up by the next poll.
  let busy = false;
  const poll = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const now = reader.fingerprint();
      if (now === fingerprint) return;
      fingerprint = now;
      fragments = await renderFragments(reader.read(), ++version);
      for (const c of clients) c.write(`event: update\ndata: ${version}\n\n`);
    } catch {
      // A file caught mid-write is read again at the next poll.
      fingerprint = "";
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), opts.pollMs ?? 1000);
  timer.unref();

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const hostHeader = (req.headers.host ?? "").replace(/:\d+$/, "");
    if (isLoopback(host) && !LOOPBACK_NAMES.has(hostHeader)) {
      res.writeHead(403, { "content-type": "text/plain" }).end("actbench live: loopback only\n");
      return;
    }
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
    } else if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(renderPage(dir, fragments));
    } else if (path === "/state.json") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(fragments));
    } else if (path === "/events") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      res.write(`retry: 1000\nevent: update\ndata: ${version}\n\n`);
      clients.add(res);
      req.on("close", () => clients.delete(res));
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
  };
  const server = createServer(handler);

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        server.off("listening", onListening);
        reject(err);
      };
      const onListening = () => {
        server.off("error", onError);
        resolve((server.address() as AddressInfo).port);
      };
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen(port, host);
    });
  let port: number | undefined;
  const tries = opts.port === undefined ? Array.from({ length: 20 }, (_, i) => DEFAULT_PORT + i) : [opts.port];
  for (const p of tries) {
    try {
      port = await listen(p);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "EADDRINUSE" || p === tries[tries.length - 1]) {
        clearInterval(timer);
        throw new UserError(`live view: cannot listen on ${host}:${p} (${code ?? (err as Error).message})${code === "EADDRINUSE" ? "; give another --port" : ""}`);
      }
    }
  }
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    host,
    port: port!,
    async close() {
      clearInterval(timer);
      // A last look, so a page open at the end shows the final state.
      await poll();
      for (const c of clients) c.end("event: end\ndata: stopped\n\n");
      clients.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
