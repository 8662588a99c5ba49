// Local stand-ins for the external systems the workflows talk to: an SMTP server and a group-robot
// webhook (WeCom/DingTalk style), and an HTTP SMS gateway. Each records what it receives, one JSON line per message.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const [smtpPort, robotPort, outDir, smsPort] = process.argv.slice(2);

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        // Attachments are kept as files beside the log, so that a test can open them as the recipient would.
        const attachments = mail.attachments.map((a, i) => {
          const saved = `${outDir}/attachments/${Date.now()}-${i}-${a.filename ?? 'attachment'}`;
          mkdirSync(`${outDir}/attachments`, { recursive: true });
          writeFileSync(saved, a.content);
          return { filename: a.filename, contentType: a.contentType, size: a.size, saved };
        });
        const record = { to: session.envelope.rcptTo.map((r) => r.address), from: session.envelope.mailFrom?.address, subject: mail.subject, text: mail.text, html: mail.html || '', attachments };
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
if (smsPort) {
  http
    .createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        appendFileSync(`${outDir}/sms.jsonl`, `${JSON.stringify({ path: req.url, body: JSON.parse(body || '{}') })}\n`);
        res.setHeader('Content-Type', 'application/json');
        res.end('{"code":"OK"}');
      });
    })
    .listen(Number(smsPort), '127.0.0.1');
}
console.log('recorders ready');
