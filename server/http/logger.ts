import pino, { type Logger } from 'pino';
import type { AppConfig } from '../config/config';

/** Structured JSON logs; credentials and personal data never reach them. */
export function createLogger(config: Pick<AppConfig, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'home-school-bridge' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'req.headers["x-jwt-token"]',
        'res.headers["set-cookie"]',
        'res.headers["x-jwt-token"]',
        '*.password',
        '*.apiKey',
        '*.secret',
      ],
      censor: '[redacted]',
    },
  });
}
