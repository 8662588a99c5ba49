import type { Actor } from '../identity/actor';

declare global {
  namespace Express {
    interface Request {
      actor?: Actor;
    }
  }
}
export {};
