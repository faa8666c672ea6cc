// An HTTP server that parses every request it gets with the official CloudEvents JS SDK
// (HTTP.toEvent), re-validates each event strictly (extension names, value types, JSON schema),
// and answers with what the SDK saw as JSON. Usage: node cloudevents-receiver.mjs <port> <requests>
// It exits after <requests> requests, so the caller can await it.
import http from 'node:http';
import { CloudEvent, HTTP } from 'cloudevents';

const [port, expected] = process.argv.slice(2).map(Number);
let handled = 0;

// What a receiving Node service does with a body: text for JSON/text/structured, bytes otherwise.
function bodyFor(contentType, buffer) {
  if (buffer.length === 0) return undefined;
  const ct = (contentType || '').toLowerCase();
  return /json|^text\/|cloudevents/.test(ct) ? buffer.toString('utf8') : buffer;
}

function describe(event) {
  // Strict re-construction applies every rule the SDK enforces on events it creates.
  const strict = event.cloneWith({}, true);
  strict.validate();
  const attributes = {};
  for (const [key, value] of Object.entries(strict)) {
    if (key === 'data' || key === 'data_base64' || value === undefined) continue;
    attributes[key] = { type: typeof value, value };
  }
  let data = { kind: 'none' };
  if (strict.data_base64 !== undefined) {
    data = { kind: 'binary', base64: strict.data_base64 };
  } else if (ArrayBuffer.isView(strict.data)) {
    data = { kind: 'binary', base64: Buffer.from(strict.data).toString('base64') };
  } else if (typeof strict.data === 'string') {
    data = { kind: 'string', value: strict.data };
  } else if (strict.data !== undefined) {
    data = { kind: 'json', value: strict.data };
  }
  return { attributes, data };
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let status = 200;
    let answer;
    try {
      const parsed = HTTP.toEvent({ headers: req.headers, body: bodyFor(req.headers['content-type'], Buffer.concat(chunks)) });
      answer = Array.isArray(parsed) ? parsed.map(describe) : describe(parsed);
    } catch (err) {
      status = 422;
      answer = { error: String(err && err.message ? err.message : err), errors: err && err.errors };
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
    handled += 1;
    if (handled >= expected) server.close();
  });
});

server.listen(port, '127.0.0.1');
