import http from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A real local HTTP server standing in for an external system; records what it receives.
 * `answerAfter`: a slow receiver, which records each request at once but answers only once this settles.
 */
export async function startRecordingServer(respond: (req: RecordedRequest) => number = () => 200, options: { answerAfter?: Promise<unknown> } = {}) {
  const received: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      received.push(recorded);
      const answer = (): void => {
        res.statusCode = respond(recorded);
        res.end('{}');
      };
      if (options.answerAfter) void options.answerAfter.then(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async waitFor(count: number, timeoutMs = 10_000): Promise<RecordedRequest[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
