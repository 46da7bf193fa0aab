/**
 * The page: a list of enquiries paged with Relay cursors both ways, one enquiry opened with its assignee, and
 * a form that creates one, with the gateway's field errors shown beside their inputs.
 */
import { errorsByField, GatewayClient, type GraphQLErrorShape } from './client.ts';
import type { EnquiriesPageQuery, EnquiriesPageQueryVariables, FundingType } from './gql/graphql.ts';
import { liveEnquiries, type EnquiryEvent } from './live.ts';
import { CreateEnquiry, EnquiriesPage, EnquiryDetail } from './operations.ts';

const PAGE_SIZE = 5;
/** Live events kept on the page, newest first. */
const LIVE_KEPT = 10;
const GATEWAY_URL: string = import.meta.env.VITE_GATEWAY_URL || 'http://localhost:4000/graphql';
const KEY_STORAGE = 'vendor-graph-example:api-key';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

const keyInput = element<HTMLInputElement>('api-key');
// The key stays in this tab (sessionStorage), never in the URL or localStorage.
keyInput.value = sessionStorage.getItem(KEY_STORAGE) ?? '';
const client = new GatewayClient(GATEWAY_URL, () => keyInput.value);
element('gateway-url').textContent = GATEWAY_URL;

let page: EnquiriesPageQuery['enquiries'] | undefined;

function showProblem(errors: readonly GraphQLErrorShape[]): void {
  element('problem').textContent = errors.map((e) => (e.extensions?.code ? `${e.extensions.code}: ${e.message}` : e.message)).join('\n');
}

async function loadPage(variables: EnquiriesPageQueryVariables): Promise<void> {
  const result = await client.execute(EnquiriesPage, variables);
  if (!result.ok) return showProblem(result.errors);
  element('problem').textContent = '';
  page = result.data.enquiries ?? undefined;
  const rows = element<HTMLTableSectionElement>('rows');
  rows.replaceChildren();
  for (const { node } of page?.edges ?? []) {
    const row = rows.insertRow();
    row.dataset['id'] = node.id;
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'open';
    open.textContent = [node.firstName, node.lastName].filter(Boolean).join(' ') || '(no name)';
    open.addEventListener('click', () => void openEnquiry(node.id));
    row.insertCell().append(open);
    row.insertCell().textContent = node.status;
    row.insertCell().textContent = node.fundingType ?? '';
    row.insertCell().textContent = new Date(node.createdAt).toLocaleDateString();
  }
  element('total').textContent = String(page?.totalCount ?? 0);
  element<HTMLButtonElement>('prev').disabled = !page?.pageInfo.hasPreviousPage;
  element<HTMLButtonElement>('next').disabled = !page?.pageInfo.hasNextPage;
}

async function openEnquiry(id: string): Promise<void> {
  const result = await client.execute(EnquiryDetail, { id });
  if (!result.ok) return showProblem(result.errors);
  const enquiry = result.data.enquiry;
  const detail = element('detail');
  detail.hidden = !enquiry;
  if (!enquiry) return;
  element('detail-name').textContent = [enquiry.firstName, enquiry.lastName].filter(Boolean).join(' ');
  element('detail-email').textContent = enquiry.email ?? '—';
  element('detail-status').textContent = `${enquiry.status}${enquiry.fundingType ? ` · ${enquiry.fundingType}` : ''}`;
  const assignee = enquiry.assignee;
  element('detail-assignee').textContent = assignee
    ? `${assignee.name}${assignee.locationRole ? ` (${assignee.locationRole})` : ''}${assignee.email ? ` <${assignee.email}>` : ''}`
    : 'nobody';
}

async function create(form: HTMLFormElement): Promise<void> {
  for (const slot of form.querySelectorAll<HTMLElement>('[data-error-for]')) slot.textContent = '';
  const value = (name: string) => {
    const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
    return field?.value.trim() || null;
  };
  const result = await client.execute(CreateEnquiry, {
    input: {
      firstName: value('firstName'),
      lastName: value('lastName'),
      email: value('email'),
      fundingType: value('fundingType') as FundingType | null,
    },
  });
  if (!result.ok) {
    for (const [field, messages] of errorsByField(result.errors)) {
      const slot = form.querySelector<HTMLElement>(`[data-error-for="${field}"]`) ?? form.querySelector<HTMLElement>('[data-error-for=""]');
      if (slot) slot.textContent = [slot.textContent, ...messages].filter(Boolean).join(' ');
    }
    return;
  }
  form.reset();
  const created = result.data.createEnquiry?.enquiry;
  // Enquiries are listed newest last: the last page shows the new one.
  await loadPage({ last: PAGE_SIZE });
  if (created) await openEnquiry(created.id);
}

function showEvent(event: EnquiryEvent): void {
  const list = element<HTMLUListElement>('live');
  const item = document.createElement('li');
  // A deleted enquiry has no entity left to name: its id is all there is.
  const { entity } = event;
  const name = entity?.__typename === 'Enquiry' ? [entity.firstName, entity.lastName].filter(Boolean).join(' ') : event.entityId;
  item.textContent = `${event.type.toLowerCase()}: ${name} (${event.source === 'WEBHOOK' ? 'in CareHQ' : 'through the gateway'}, ${new Date(event.occurredAt).toLocaleTimeString()})`;
  list.prepend(item);
  while (list.children.length > LIVE_KEPT) list.lastElementChild?.remove();
}

const live = liveEnquiries(GATEWAY_URL, showEvent, (message) => {
  element('live-problem').textContent = message;
});

keyInput.addEventListener('change', () => {
  sessionStorage.setItem(KEY_STORAGE, keyInput.value);
  element('live-problem').textContent = '';
  live.useKey(keyInput.value.trim());
  void loadPage({ first: PAGE_SIZE });
});
element('next').addEventListener('click', () => void loadPage({ first: PAGE_SIZE, after: page?.pageInfo.endCursor ?? null }));
element('prev').addEventListener('click', () => void loadPage({ last: PAGE_SIZE, before: page?.pageInfo.startCursor ?? null }));
element<HTMLFormElement>('create').addEventListener('submit', (event) => {
  event.preventDefault();
  void create(event.currentTarget as HTMLFormElement);
});

live.useKey(keyInput.value.trim());
void loadPage({ first: PAGE_SIZE });
