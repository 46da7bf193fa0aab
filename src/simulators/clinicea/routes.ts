/**
 * Every route the Clinicea simulator answers below `/api/v1`. Lead writes are our addition so that tests and
 * demos can change data through HTTP and see it in a sync.
 */
import { CLINICEA_TOKEN_PATH } from '../../vendors/clinicea/wire.ts';
import { SimRouter, type SimRequest, type SimResponse } from '../http.ts';
import { error, json, leadNotFound } from './answers.ts';
import { CliniceaValidationError, validateWrite } from './lead-validation.ts';
import { listLeads } from './lists.ts';
import type { CliniceaStore } from './store.ts';
import type { CliniceaTokens } from './tokens.ts';

export function cliniceaRouter(
  store: CliniceaStore,
  paging: { readonly pageSize: number; readonly firstPageNumber: number },
  /** Token mode only: the login route exists; in header mode it is a 404, as in the documented version. */
  tokens?: CliniceaTokens,
): SimRouter {
  const router = new SimRouter();
  if (tokens) router.on('GET', CLINICEA_TOKEN_PATH, (req) => tokens.login(req));
  return router
    .on('GET', 'leads', (req) => listLeads(req, store, paging))
    .on('GET', 'leads/:id', (req) => {
      const lead = store.leads.get(req.params.id ?? '');
      return lead ? json(200, { ...lead }) : leadNotFound();
    })
    .on('POST', 'leads', (req) => write(req, (body) => json(200, store.create(validateWrite(body, 'create')))))
    .on('PUT', 'leads/:id', (req) =>
      write(req, (body) => {
        const lead = store.update(req.params.id ?? '', validateWrite(body, 'update'));
        return lead ? json(200, lead) : leadNotFound();
      }),
    )
    .on('DELETE', 'leads/:id', (req) => (store.remove(req.params.id ?? '') ? { status: 204 } : leadNotFound()));
}

function write(req: SimRequest, handle: (body: unknown) => SimResponse): SimResponse {
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return json(400, error('The request body must be a JSON object.'));
  }
  try {
    return handle(body);
  } catch (caught) {
    if (caught instanceof CliniceaValidationError) return json(400, error(caught.message));
    throw caught;
  }
}
