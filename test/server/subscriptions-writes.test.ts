/**
 * Every write through the gateway tells `vendorEvents` subscribers what it changed, over a real websocket to a
 * gateway on the simulators: updates as UPDATED with the record after them, deletes as DELETED with the id and
 * no entity, leads as LEAD events behind `leads:read`. A write the vendor refused (field errors) changed
 * nothing and announces nothing. A Generic `user.deleted` webhook is a DELETED too.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { CARECLOUD_DEFAULT_BUCKET_IDS, CARECLOUD_DEFAULT_WORKSPACE_ID } from '../../src/simulators/carecloud/server.ts';
import { signWebhook } from '../../src/simulators/generic/webhooks.ts';
import { apiKey, issueKey } from '../helpers/auth.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData } from '../helpers/graphql.ts';
import { subscribe, untilSubscribed, type Feed } from '../helpers/subscriptions.ts';

/** Every entity type, with what each shows of itself. */
const ALL_EVENTS = `subscription($vendor: Vendor, $entityType: EventEntityType) {
  vendorEvents(vendor: $vendor, entityType: $entityType) {
    type vendor entityType source entityId
    entity { id ... on Enquiry { firstName email } ... on Lead { firstName source } }
  }
}`;

interface Event {
  vendorEvents: {
    type: string;
    vendor: string;
    entityType: string;
    source: string;
    entityId: string;
    entity: { id: string; firstName?: string | null; email?: string | null; source?: string | null } | null;
  };
}

const UPDATE_ENQUIRY = `mutation($id: ID!, $input: UpdateEnquiryInput!) {
  updateEnquiry(id: $id, input: $input) { enquiry { id } fieldErrors { field message } }
}`;
const DELETE_ENQUIRY = `mutation($id: ID!) { deleteEnquiry(id: $id) { deletedEnquiryId fieldErrors { field } } }`;
const CREATE_ENQUIRY = `mutation($input: CreateEnquiryInput!) { createEnquiry(input: $input) { enquiry { id } } }`;
const CREATE_LEAD = `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } fieldErrors { field message } } }`;
const UPDATE_LEAD = `mutation($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { lead { id } fieldErrors { field } } }`;
const DELETE_LEAD = `mutation($id: ID!) { deleteLead(id: $id) { deletedLeadId fieldErrors { field } } }`;
const DELETE_FILE = `mutation($id: ID!) { deleteFile(id: $id) { deletedFileId fieldErrors { field } } }`;

interface FieldErrors {
  fieldErrors: Array<{ field: string | null; message?: string }>;
}

const feeds: Array<Feed<unknown>> = [];
const stacks: TestStack[] = [];
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((feed) => feed.dispose()));
  // The stacks are shared: the next test counts its own subscriptions only once these are gone on the server.
  for (const s of stacks) await expect.poll(() => s.gateway.liveEvents.size, { timeout: 10_000, interval: 20 }).toBe(0);
});

function events(s: TestStack, variables: Record<string, unknown> = {}, connectionParams?: Record<string, string>): Feed<Event> {
  const feed = subscribe<Event>(s.url, ALL_EVENTS, { variables, ...(connectionParams ? { connectionParams } : {}) });
  feeds.push(feed as Feed<unknown>);
  return feed;
}

/** A seeded enquiry no other test of this file writes to (the stack is shared). */
function takeEnquiry(s: TestStack, taken: Set<string>): string {
  const vendorId = [...s.carehq.store.enquiries.keys()].find((id) => !taken.has(id));
  if (!vendorId) throw new Error('the CareHQ simulator holds no enquiries left to write to');
  taken.add(vendorId);
  return toGlobalId('CAREHQ', 'Enquiry', vendorId);
}

describe('vendorEvents from every write', () => {
  const webhookKey = randomBytes(24);
  let s: TestStack;
  const taken = new Set<string>();
  beforeAll(async () => {
    s = await startStack({ webhookSecret: `whsec_${webhookKey.toString('base64')}` });
    stacks.push(s);
  });
  afterAll(async () => {
    stacks.splice(stacks.indexOf(s), 1);
    await s.close();
  });

  it('updateEnquiry publishes UPDATED with the new values', async () => {
    const feed = events(s, { entityType: 'ENQUIRY' });
    await untilSubscribed(() => s.gateway.liveEvents.size);
    const id = takeEnquiry(s, taken);
    const data = await gqlData<{ updateEnquiry: FieldErrors }>(s.url, UPDATE_ENQUIRY, { id, input: { firstName: 'Winifred', email: 'winifred.live@example.org' } });
    expect(data.updateEnquiry.fieldErrors).toEqual([]);
    const event = await feed.next();
    expect(event.errors).toBeUndefined();
    expect(event.data?.vendorEvents).toEqual({
      type: 'UPDATED',
      vendor: 'CAREHQ',
      entityType: 'ENQUIRY',
      source: 'GATEWAY',
      entityId: id,
      entity: { id, firstName: 'Winifred', email: 'winifred.live@example.org' },
    });
  });

  it('deleteEnquiry publishes DELETED with the entityId and a null entity', async () => {
    const feed = events(s, { entityType: 'ENQUIRY' });
    await untilSubscribed(() => s.gateway.liveEvents.size);
    const id = takeEnquiry(s, taken);
    const data = await gqlData<{ deleteEnquiry: { deletedEnquiryId: string } }>(s.url, DELETE_ENQUIRY, { id });
    expect(data.deleteEnquiry.deletedEnquiryId).toBe(id);
    expect((await feed.next()).data?.vendorEvents).toEqual({
      type: 'DELETED',
      vendor: 'CAREHQ',
      entityType: 'ENQUIRY',
      source: 'GATEWAY',
      entityId: id,
      entity: null,
    });
  });

  it('createLead, updateLead (twice) and deleteLead publish CREATED, UPDATED, UPDATED and DELETED LEAD events', async () => {
    const feed = events(s, { vendor: 'CLINICEA', entityType: 'LEAD' });
    await untilSubscribed(() => s.gateway.liveEvents.size);
    const created = await gqlData<{ createLead: FieldErrors & { lead: { id: string } } }>(s.url, CREATE_LEAD, {
      input: { firstName: 'Lena', lastName: 'Live', source: 'Referral' },
    });
    expect(created.createLead.fieldErrors).toEqual([]);
    const id = created.createLead.lead.id;
    expect((await feed.next()).data?.vendorEvents).toEqual({
      type: 'CREATED',
      vendor: 'CLINICEA',
      entityType: 'LEAD',
      source: 'GATEWAY',
      entityId: id,
      entity: { id, firstName: 'Lena', source: 'Referral' },
    });

    // Two updates in a row, most likely within the second Clinicea's modification times are kept to: two events.
    await gqlData(s.url, UPDATE_LEAD, { id, input: { firstName: 'Lenora' } });
    await gqlData(s.url, UPDATE_LEAD, { id, input: { firstName: 'Leonie' } });
    expect((await feed.next()).data?.vendorEvents).toMatchObject({ type: 'UPDATED', entityType: 'LEAD', entityId: id, entity: { id, firstName: 'Lenora' } });
    expect((await feed.next()).data?.vendorEvents).toMatchObject({ type: 'UPDATED', entityId: id, entity: { firstName: 'Leonie' } });

    await gqlData(s.url, DELETE_LEAD, { id });
    expect((await feed.next()).data?.vendorEvents).toMatchObject({ type: 'DELETED', entityType: 'LEAD', entityId: id, entity: null });
  });

  it('deleteFile publishes DELETED FILE with the file id', async () => {
    const feed = events(s, { entityType: 'FILE' });
    await untilSubscribed(() => s.gateway.liveEvents.size);
    const [name] = s.carecloud.store.files.get(CARECLOUD_DEFAULT_WORKSPACE_ID)?.get(CARECLOUD_DEFAULT_BUCKET_IDS[0])?.keys() ?? [];
    if (!name) throw new Error('no seeded files');
    const id = toGlobalId('CARECLOUD', 'File', name);
    await gqlData(s.url, DELETE_FILE, { id });
    expect((await feed.next()).data?.vendorEvents).toEqual({
      type: 'DELETED',
      vendor: 'CARECLOUD',
      entityType: 'FILE',
      source: 'GATEWAY',
      entityId: id,
      entity: null,
    });
  });

  it('a write the vendor refused with field errors publishes nothing', async () => {
    const feed = events(s);
    await untilSubscribed(() => s.gateway.liveEvents.size);
    const id = takeEnquiry(s, taken);
    const refusedUpdate = await gqlData<{ updateEnquiry: FieldErrors }>(s.url, UPDATE_ENQUIRY, {
      id,
      input: { firstName: 'Nobody', assigneeId: toGlobalId('CAREHQ', 'User', 'f'.repeat(24)) },
    });
    expect(refusedUpdate.updateEnquiry.fieldErrors).toEqual([{ field: 'assigneeId', message: 'Not a valid user.' }]);
    const refusedLead = await gqlData<{ createLead: FieldErrors }>(s.url, CREATE_LEAD, { input: { firstName: 'Bad', source: 'Carrier pigeon' } });
    expect(refusedLead.createLead.fieldErrors.map((e) => e.field)).toEqual(['source']);

    // Events arrive in order, so the next one being this write's shows that the refusals sent none.
    const made = await gqlData<{ createEnquiry: { enquiry: { id: string } } }>(s.url, CREATE_ENQUIRY, {
      input: { firstName: 'Edith', lastName: 'After', fundingType: 'PRIVATE' },
    });
    expect((await feed.next()).data?.vendorEvents).toMatchObject({ type: 'CREATED', entityId: made.createEnquiry.enquiry.id });
  });

  it('a verified Generic user.deleted webhook publishes DELETED with the user id and a null entity', async () => {
    const feed = events(s, { entityType: 'USER' });
    await untilSubscribed(() => s.gateway.liveEvents.size);
    const body = JSON.stringify({ type: 'user.deleted', timestamp: new Date().toISOString(), data: { id: 'usr_gone00000001' } });
    const messageId = `msg_${randomBytes(6).toString('hex')}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(new URL('/webhooks/generic', s.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': messageId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(webhookKey, messageId, timestamp, body),
      },
      body,
    });
    expect(res.status).toBe(204);
    expect((await feed.next()).data?.vendorEvents).toEqual({
      type: 'DELETED',
      vendor: 'GENERIC',
      entityType: 'USER',
      source: 'WEBHOOK',
      entityId: toGlobalId('GENERIC', 'User', 'usr_gone00000001'),
      entity: null,
    });
  });
});

/** A write that must succeed, made with an API key. */
async function writeWith<T>(url: string, key: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await gql<T>(url, query, variables, apiKey(key));
  expect(result.errors).toBeUndefined();
  if (!result.data) throw new Error('no data');
  return result.data;
}

describe('lead events need leads:read', () => {
  const readsEnquiries = issueKey('live-enquiries', ['enquiries:read']);
  const readsLeads = issueKey('live-leads', ['leads:read']);
  const writes = issueKey('writer', ['leads:write', 'leads:read', 'enquiries:write', 'enquiries:read']);
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack({ gateway: { auth: { mode: 'protected', apiKeys: [readsEnquiries.record, readsLeads.record, writes.record], jwt: undefined } } });
    stacks.push(s);
  });
  afterAll(async () => {
    stacks.splice(stacks.indexOf(s), 1);
    await s.close();
  });

  it('refuses entityType LEAD without leads:read', async () => {
    const refused = events(s, { entityType: 'LEAD' }, { 'x-api-key': readsEnquiries.key });
    expect((await refused.next()).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['leads:read'] });
  });

  it('gives a subscriber of every type without leads:read no lead events, and one with it the lead', async () => {
    const enquiriesOnly = events(s, {}, { 'x-api-key': readsEnquiries.key });
    const leads = events(s, {}, { 'x-api-key': readsLeads.key });
    await untilSubscribed(() => s.gateway.liveEvents.size, 2);
    const created = await writeWith<{ createLead: { lead: { id: string } } }>(s.url, writes.key, CREATE_LEAD, {
      input: { firstName: 'Sally', lastName: 'Scoped', source: 'Referral' },
    });
    expect((await leads.next()).data?.vendorEvents).toMatchObject({ type: 'CREATED', entityType: 'LEAD', entityId: created.createLead.lead.id });

    const made = await writeWith<{ createEnquiry: { enquiry: { id: string } } }>(s.url, writes.key, CREATE_ENQUIRY, {
      input: { firstName: 'Edith', lastName: 'Scoped', fundingType: 'PRIVATE' },
    });
    // The enquiries-only subscriber's first event is the enquiry: the lead before it never reached it.
    expect((await enquiriesOnly.next()).data?.vendorEvents).toMatchObject({ entityType: 'ENQUIRY', entityId: made.createEnquiry.enquiry.id });
  });
});
