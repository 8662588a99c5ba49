import { Router } from 'express';
import { declareRoute } from '../http/contract/api-contract';
import { TOKEN_HEADER } from './authenticate';
import { whoAmI } from './identity.routes';
import { signOut } from './identity.service';
import { requireActor } from './policy';

/**
 * The two session endpoints the Form.io SDK calls on its own, at the project URL (here: the site root):
 * `GET /current` after it stored a token (Formio.currentUser) and `GET /logout` (Formio.logout).
 */
export function formioSessionRoutes(): Router {
  const router = Router();

  declareRoute(router, '', { method: 'get', path: '/current', summary: 'The signed-in user as a Form.io user (Formio.currentUser)', tag: 'Forms (Form.io API)' }, async (_input, req, res) => {
    const me = whoAmI(requireActor(req.actor));
    // Form.io users are submissions: `_id` plus `data`.
    res.json({ _id: me.id, ...me, data: { username: me.username, displayName: me.displayName, role: me.role, college: me.college } });
  });

  // Only the header token is ended here: a GET must not be able to end a cookie session from another site.
  declareRoute(router, '', { method: 'get', path: '/logout', summary: 'Ends an x-jwt-token session (Formio.logout)', tag: 'Forms (Form.io API)', status: 204 }, async (_input, req, res) => {
    const token = req.get(TOKEN_HEADER);
    if (token) await signOut(token);
    res.status(204).end();
  });

  return router;
}
