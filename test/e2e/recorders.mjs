// Local stand-ins for the external systems the workflows talk to: an SMTP server and a group-robot
// webhook (WeCom/DingTalk style). Each records what it receives, one JSON line per message.
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const [smtpPort, robotPort, outDir] = process.argv.slice(2);

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const record = { to: session.envelope.rcptTo.map((r) => r.address), from: session.envelope.mailFrom?.address, subject: mail.subject, text: mail.text, html: mail.html || '' };
        appendFileSync(`${outDir}/mail.jsonl`, `${JSON.stringify(record)}\n`);
        callback();
      })
      .catch(callback);
  },
});
smtp.listen(Number(smtpPort), '127.0.0.1');

http
  .createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      appendFileSync(`${outDir}/robot.jsonl`, `${JSON.stringify({ path: req.url, body: JSON.parse(body || '{}') })}\n`);
      res.setHeader('Content-Type', 'application/json');
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  })
  .listen(Number(robotPort), '127.0.0.1');
console.log('recorders ready');
