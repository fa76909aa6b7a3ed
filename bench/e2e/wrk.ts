/**
 * The load generator: wrk (C, one thread, pinned to its own CPU) with a Lua script that
 * sends the requests the minter wrote. wrk rather than the autocannon loader this bench had:
 * tried side by side against the no-auth server (both pinned, 32 connections, on a machine
 * busy with other work), wrk used 14–17 µs of its CPU per request and autocannon 23–33 µs
 * (against a bare Node server; JavaScript, with garbage-collection pauses of its own); in six alternating 2 s blocks the
 * server's CPU per request varied about as much under either (9.7% and 10.2%), its req/s half
 * as much under wrk (16.5% against 31.5%). And issue 20's figures were taken with wrk -c32.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestFile } from './minter';

/** The path wrk asks for, on every server. */
const PATH = '/me';

/**
 * Reads the minter's file (tab-separated header pairs, one request per line) and sends its
 * requests in order: `fixed`/`cycle` from `offset` (where the previous run of this row stopped),
 * `fresh` from the first line, `suffix` one line with a unique 8-character suffix per request.
 * `done` prints one JSON line after `BENCH `.
 */
const SCRIPT = String.raw`
local threads = {}
function setup(thread) table.insert(threads, thread) end

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

function init(args)
  mode, offset, sent = args[2], tonumber(args[3]), 0
  local lines = {}
  for text in io.lines(args[1]) do
    local headers, name = {}, nil
    for field in string.gmatch(text, "[^\t]+") do
      if name then headers[name] = field; last = name; name = nil else name = field end
    end
    lines[#lines + 1] = headers
  end
  count = #lines
  if mode == "suffix" then base = lines[1] return end
  reqs = {}
  for i, headers in ipairs(lines) do reqs[i] = wrk.format("GET", "${PATH}", headers) end
end

function request()
  local i = sent
  sent = sent + 1
  if mode == "suffix" then
    local n, s = offset + i, {}
    for k = 1, 8 do
      local d = n % 64
      s[k] = alphabet:sub(d + 1, d + 1)
      n = math.floor(n / 64)
    end
    local headers = {}
    for k, v in pairs(base) do headers[k] = v end
    headers[last] = base[last] .. table.concat(s)
    return wrk.format("GET", "${PATH}", headers)
  end
  if mode == "fresh" then return reqs[(i % count) + 1] end
  return reqs[((offset + i) % count) + 1]
end

function done(summary, latency, requests)
  local sent, lines = 0, 0
  for _, t in ipairs(threads) do
    sent = sent + t:get("sent")
    lines = lines + t:get("count")
  end
  local e = summary.errors
  io.write(string.format(
    '\nBENCH {"requests":%d,"sent":%d,"lines":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d,"p99Us":%d}\n',
    summary.requests, sent, lines, e.connect, e.read, e.write, e.timeout, e.status, latency:percentile(99)))
end
`;

/** What wrk reports when stopped. */
export interface WrkSummary {
  /** Responses received. */
  requests: number;
  /** Requests the script made (responses plus those in flight when it stopped). */
  sent: number;
  lines: number;
  connect: number;
  read: number;
  write: number;
  timeout: number;
  /** Responses with a status of 400 or more. */
  status: number;
  p99Us: number;
}

/** Writes the script into `dir` and returns its path. */
export function writeScript(dir: string): string {
  const path = join(dir, 'bench.lua');
  writeFileSync(path, SCRIPT);
  return path;
}

/** A running wrk: `stop()` interrupts it (wrk then prints its summary) and returns the summary. */
export class Wrk {
  private readonly process: ChildProcess;
  private readonly output: Promise<string>;

  constructor(options: {
    script: string;
    port: number;
    file: RequestFile;
    offset: number;
    connections: number;
    cpu: number | undefined;
    /** A cap: the run is stopped long before. */
    maxSeconds: number;
  }) {
    const { script, port, file, offset, connections, cpu, maxSeconds } = options;
    const args = ['-t1', `-c${connections}`, `-d${Math.ceil(maxSeconds)}s`, '--timeout', '10s', '--latency'];
    const wrk = [process.env.BENCH_WRK ?? 'wrk', ...args, '-s', script, `http://127.0.0.1:${port}${PATH}`];
    const argv = [...wrk, '--', file.path, file.mode, String(offset)];
    const [command, rest] =
      cpu === undefined ? [argv[0] as string, argv.slice(1)] : ['taskset', ['-c', String(cpu), ...argv]];
    this.process = spawn(command, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.output = new Promise((resolve, reject) => {
      let text = '';
      this.process.stdout?.on('data', (chunk) => {
        text += chunk;
      });
      this.process.stderr?.on('data', (chunk) => {
        text += chunk;
      });
      this.process.on('error', reject);
      this.process.on('exit', () => resolve(text));
    });
  }

  async stop(): Promise<WrkSummary> {
    if (this.process.exitCode === null) this.process.kill('SIGINT');
    const text = await this.output;
    const line = text.split('\n').find((l) => l.startsWith('BENCH '));
    if (!line) throw new Error(`wrk printed no summary:\n${text}`);
    return JSON.parse(line.slice('BENCH '.length)) as WrkSummary;
  }
}
