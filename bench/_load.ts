/**
 * The load generator of the HTTP benchmarks: C keep-alive connections in a worker thread, each sending
 * the next request as soon as its previous answer is complete (a closed loop), latency per request.
 *
 * It speaks HTTP/1.1 over plain sockets with each request's bytes made in advance, because Node's own
 * http client cost about 0.6 ms of CPU per request here — a third of a release's whole budget on a
 * 2-core machine where the generator shares the cores with the app and PostgreSQL. The app's answers
 * always carry Content-Length (Fastify's JSON replies); anything else counts as an error.
 */
import { Worker } from 'node:worker_threads';

export interface LoadRequest {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface LoadResult {
  seconds: number;
  /** per request, in the order given: latency (ms), HTTP status (0: no answer) and the body */
  lat: Float64Array;
  status: Int16Array;
  bodies: string[];
  codes: Record<string, number>;
  /** the first non-200 answer, for the log */
  sample: string;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const { port, reqs, concurrency } = workerData;
const n = reqs.length;
const lat = new Float64Array(n);
const status = new Int16Array(n);
const bodies = new Array(n).fill('');
let next = 0;
const HEAD_END = Buffer.from('\\r\\n\\r\\n');
function lane() {
  return new Promise((done) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.setNoDelay(true);
    let i = -1, t0 = 0, buf = null, need = -1, bodyAt = 0, code = 0;
    const send = () => {
      if (next >= n) { sock.end(); return; }
      i = next++; buf = null; need = -1; t0 = performance.now();
      sock.write(reqs[i]);
    };
    sock.on('connect', send);
    sock.on('data', (chunk) => {
      buf = buf ? Buffer.concat([buf, chunk]) : chunk;
      if (need < 0) {
        const h = buf.indexOf(HEAD_END);
        if (h < 0) return;
        const head = buf.subarray(0, h).toString('latin1');
        code = Number(head.slice(9, 12));
        const m = /\\r\\ncontent-length: *(\\d+)/i.exec(head);
        if (!m) { bodies[i] = 'no content-length: ' + head.slice(0, 200); lat[i] = performance.now() - t0; sock.destroy(); return; }
        bodyAt = h + 4;
        need = bodyAt + Number(m[1]);
      }
      if (buf.length < need) return;
      lat[i] = performance.now() - t0;
      status[i] = code;
      bodies[i] = buf.subarray(bodyAt, need).toString('utf8');
      send();
    });
    sock.on('error', (e) => { if (i >= 0 && !status[i]) { bodies[i] = String(e); lat[i] = performance.now() - t0; } });
    sock.on('close', done);
  });
}
(async () => {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  parentPort.postMessage({ seconds: (performance.now() - t0) / 1000, lat, status, bodies });
})();
`;

/** The request's bytes: request line, headers, the JSON body. */
function raw(r: LoadRequest): Buffer {
  const body = r.body === undefined ? '' : JSON.stringify(r.body);
  const headers: Record<string, string> = { host: '127.0.0.1', ...r.headers };
  if (r.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return Buffer.from(`${r.method} ${r.path} HTTP/1.1\r\n${head}\r\n${body}`);
}

/** Sends every request over `concurrency` connections to the app on 127.0.0.1:`port`. */
export function fire(port: number, requests: LoadRequest[], concurrency: number): Promise<LoadResult> {
  const reqs = requests.map(raw);
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: { port, reqs, concurrency } });
    w.once('message', (m: Omit<LoadResult, 'codes' | 'sample'>) => {
      const codes: Record<string, number> = {};
      let sample = '';
      m.status.forEach((code, i) => {
        codes[code] = (codes[code] ?? 0) + 1;
        if (code !== 200 && !sample) sample = `${code} ${m.bodies[i].slice(0, 300)}`;
      });
      resolve({ ...m, codes, sample });
      void w.terminate();
    });
    w.once('error', reject);
  });
}
