// A sink answering 202 to every POST; prints "done" and exits once N requests arrived.
// Usage: node counting-sink.mjs <port> <requests>
import http from 'node:http';

const [port, expected] = process.argv.slice(2).map(Number);
let seen = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(202).end();
    seen += 1;
    if (seen === expected) {
      console.log('done');
      server.close();
      setTimeout(() => process.exit(0), 100);
    }
  });
});
server.listen(port, '127.0.0.1', () => console.log('listening'));
