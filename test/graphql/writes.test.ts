/**
 * The update and delete mutations (CareHQ enquiries, Clinicea leads, CareCloud files) end to end over HTTP
 * against the simulators: what lands, how a vendor's refusal comes back per input field, not-found, and the
 * exactly-once rule (a 429 is retried and the write lands once; a 5xx is never resent).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { CARECLOUD_DEFAULT_BUCKET_IDS, CARECLOUD_DEFAULT_WORKSPACE_ID } from '../../src/simulators/carecloud/server.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData, type GraphQLResult } from '../helpers/graphql.ts';

let stack: TestStack;
beforeAll(async () => {
  // Caching on, so each write is shown to clear what a read before it left behind.
  stack = await startStack({ gateway: { carehq: { cacheTtlMs: 60_000 }, clinicea: { cacheTtlMs: 60_000 }, carecloud: { cacheTtlMs: 60_000 } } });
});
afterAll(async () => {
  await stack.close();
});

interface FieldError {
  field: string | null;
  message: string;
}

/** Log entries from `mark` on with this method, as `[status, ...]`. */
function statusesSince(log: ReadonlyArray<{ method: string; status: number }>, mark: number, method: string): number[] {
  return log.slice(mark).filter((entry) => entry.method === method).map((entry) => entry.status);
}

function codeOf(result: GraphQLResult<unknown>): unknown {
  return result.errors?.[0]?.extensions?.code;
}

describe('updateEnquiry / deleteEnquiry (CareHQ PATCH and DELETE)', () => {
  const UPDATE = /* GraphQL */ `
    mutation($id: ID!, $input: UpdateEnquiryInput!) {
      updateEnquiry(id: $id, input: $input) {
        enquiry { id firstName email phone fundingType status closingNotes careRequirements assignee { id } }
        fieldErrors { field message }
      }
    }
  `;
  const DELETE = /* GraphQL */ `mutation($id: ID!) { deleteEnquiry(id: $id) { deletedEnquiryId fieldErrors { field message } } }`;
  type Updated = { updateEnquiry: { enquiry: Record<string, unknown> | null; fieldErrors: FieldError[] } };

  function someEnquiryId(): string {
    const [record] = stack.carehq.store.enquiries.values();
    if (!record) throw new Error('the CareHQ simulator holds no enquiries');
    return record._id;
  }

  it('changes the given fields, clears an explicit null, closes with notes, and a cached read shows the change', async () => {
    const vendorId = someEnquiryId();
    const id = toGlobalId('CAREHQ', 'Enquiry', vendorId);
    const [someUser] = stack.carehq.store.users.keys();
    stack.carehq.store.enquiries.set(vendorId, {
      ...stack.carehq.store.enquiries.get(vendorId)!,
      phone: '01632 960000',
      assigned_to: someUser ?? null,
      closing_notes: null,
    });
    // Read first, so a cached copy exists that the update must clear.
    await gqlData(stack.url, 'query($id: ID!) { enquiry(id: $id) { firstName } }', { id });
    const data = await gqlData<Updated>(stack.url, UPDATE, {
      id,
      input: { firstName: 'Winifred', phone: null, fundingType: 'CHC', careRequirements: [], assigneeId: null, closingNotes: 'Moved in elsewhere' },
    });
    expect(data.updateEnquiry.fieldErrors).toEqual([]);
    expect(data.updateEnquiry.enquiry).toMatchObject({
      id,
      firstName: 'Winifred',
      phone: null,
      fundingType: 'CHC',
      status: 'CLOSED',
      closingNotes: 'Moved in elsewhere',
      careRequirements: [],
      assignee: null,
    });
    const stored = stack.carehq.store.enquiries.get(vendorId);
    expect(stored).toMatchObject({ first_name: 'Winifred', phone: null, funding_type: 'chc', assigned_to: null, closing_notes: 'Moved in elsewhere' });
    const reread = await gqlData<{ enquiry: { firstName: string } }>(stack.url, 'query($id: ID!) { enquiry(id: $id) { firstName } }', { id });
    expect(reread.enquiry.firstName).toBe('Winifred');
  });

  it("returns CareHQ's arg_errors as field errors in our input's names, and changes nothing", async () => {
    const vendorId = someEnquiryId();
    const before = { ...stack.carehq.store.enquiries.get(vendorId)! };
    const data = await gqlData<Updated>(stack.url, UPDATE, {
      id: toGlobalId('CAREHQ', 'Enquiry', vendorId),
      input: { dateOfBirth: '1950-02-28', firstName: 'Nobody', assigneeId: toGlobalId('CAREHQ', 'User', 'f'.repeat(24)) },
    });
    expect(data.updateEnquiry.enquiry).toBeNull();
    expect(data.updateEnquiry.fieldErrors).toEqual([{ field: 'assigneeId', message: 'Not a valid user.' }]);
    expect(stack.carehq.store.enquiries.get(vendorId)).toEqual(before);
  });

  it('an unknown enquiry is NOT_FOUND, for update and delete alike', async () => {
    const id = toGlobalId('CAREHQ', 'Enquiry', '0'.repeat(24));
    const updated = await gql(stack.url, UPDATE, { id, input: { firstName: 'Ghost' } });
    expect(codeOf(updated)).toBe('NOT_FOUND');
    const deleted = await gql(stack.url, DELETE, { id });
    expect(codeOf(deleted)).toBe('NOT_FOUND');
  });

  it('a malformed id is BAD_USER_INPUT and reaches no vendor', async () => {
    const mark = stack.carehq.log.length;
    const result = await gql(stack.url, DELETE, { id: toGlobalId('CAREHQ', 'Enquiry', '../users') });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(stack.carehq.log.length).toBe(mark);
  });

  it('an update answered 429 is retried and sent once more; one answered 5xx is never resent', async () => {
    const id = toGlobalId('CAREHQ', 'Enquiry', someEnquiryId());
    let mark = stack.carehq.log.length;
    stack.carehq.faults.rateLimitBurst = 1;
    const data = await gqlData<Updated>(stack.url, UPDATE, { id, input: { service: 'Respite' } });
    expect(data.updateEnquiry.enquiry).not.toBeNull();
    expect(statusesSince(stack.carehq.log, mark, 'PATCH')).toEqual([429, 200]);

    mark = stack.carehq.log.length;
    stack.carehq.faults.serverErrors = 1;
    const failed = await gql(stack.url, UPDATE, { id, input: { service: 'Nursing' } });
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'CAREHQ', status: 500 });
    expect(statusesSince(stack.carehq.log, mark, 'PATCH')).toEqual([500]);
  });

  it('deletes once through a 429, returns the id, and the cached list no longer holds it', async () => {
    const vendorId = someEnquiryId();
    const id = toGlobalId('CAREHQ', 'Enquiry', vendorId);
    const total = async () => (await gqlData<{ enquiries: { totalCount: number } }>(stack.url, '{ enquiries(first: 1) { totalCount } }')).enquiries.totalCount;
    const before = await total();
    const mark = stack.carehq.log.length;
    stack.carehq.faults.rateLimitBurst = 1;
    const data = await gqlData<{ deleteEnquiry: { deletedEnquiryId: string; fieldErrors: FieldError[] } }>(stack.url, DELETE, { id });
    expect(data.deleteEnquiry).toEqual({ deletedEnquiryId: id, fieldErrors: [] });
    expect(statusesSince(stack.carehq.log, mark, 'DELETE')).toEqual([429, 200]);
    expect(stack.carehq.store.enquiries.has(vendorId)).toBe(false);
    expect(await total()).toBe(before - 1);
  });
});

describe('createLead / updateLead / deleteLead (Clinicea)', () => {
  const CREATE = /* GraphQL */ `
    mutation($input: CreateLeadInput!) {
      createLead(input: $input) { lead { id vendorId firstName lastName email source status owner { id } } fieldErrors { field message } }
    }
  `;
  const UPDATE = /* GraphQL */ `
    mutation($id: ID!, $input: UpdateLeadInput!) {
      updateLead(id: $id, input: $input) { lead { id firstName email status notes } fieldErrors { field message } }
    }
  `;
  const DELETE = /* GraphQL */ `mutation($id: ID!) { deleteLead(id: $id) { deletedLeadId fieldErrors { field message } } }`;
  type Created = { createLead: { lead: { id: string; vendorId: string; owner: { id: string } | null } & Record<string, unknown>; fieldErrors: FieldError[] } };

  it('creates a lead once through a 429, with a Generic API user as its owner', async () => {
    const [owner] = stack.generic.store.users;
    if (!owner) throw new Error('the Generic simulator holds no users');
    const ownerId = toGlobalId('GENERIC', 'User', owner.id);
    const mark = stack.clinicea.log.length;
    const count = stack.clinicea.store.leads.size;
    stack.clinicea.faults.rateLimitBurst = 1;
    const data = await gqlData<Created>(stack.url, CREATE, {
      input: { firstName: 'Ada', lastName: 'Byron', email: 'ada@example.org', source: 'Referral', ownerId },
    });
    expect(data.createLead.fieldErrors).toEqual([]);
    expect(data.createLead.lead).toMatchObject({ firstName: 'Ada', lastName: 'Byron', source: 'Referral', status: 'New', owner: { id: ownerId } });
    expect(statusesSince(stack.clinicea.log, mark, 'POST')).toEqual([429, 200]);
    expect(stack.clinicea.store.leads.size).toBe(count + 1);
    expect(stack.clinicea.store.leads.get(data.createLead.lead.vendorId)?.OwnerUserID).toBe(owner.id);
  });

  it('an owner from another vendor is BAD_USER_INPUT and nothing is sent', async () => {
    const [careHqUser] = stack.carehq.store.users.keys();
    const mark = stack.clinicea.log.length;
    const result = await gql(stack.url, CREATE, { input: { firstName: 'Ada', ownerId: toGlobalId('CAREHQ', 'User', careHqUser ?? '') } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.ownerId' });
    expect(stack.clinicea.log.length).toBe(mark);
  });

  it("maps Clinicea's one-line refusal to the input field it names", async () => {
    const count = stack.clinicea.store.leads.size;
    const data = await gqlData<Created>(stack.url, CREATE, { input: { firstName: 'Bad', source: 'Carrier pigeon' } });
    expect(data.createLead.lead).toBeNull();
    expect(data.createLead.fieldErrors).toHaveLength(1);
    expect(data.createLead.fieldErrors[0]?.field).toBe('source');
    expect(data.createLead.fieldErrors[0]?.message).toMatch(/^Source must be one of /);
    expect(stack.clinicea.store.leads.size).toBe(count);
  });

  it('updates only the given fields once through a 429, clears an explicit null, and a sync after it reports MODIFIED', async () => {
    const [lead] = [...stack.clinicea.store.leads.values()].filter((l) => l.Email !== null && l.Notes !== null);
    if (!lead) throw new Error('no seeded lead with an email and notes');
    const id = toGlobalId('CLINICEA', 'Lead', lead.LeadID);
    const since = new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const mark = stack.clinicea.log.length;
    stack.clinicea.faults.rateLimitBurst = 1;
    const data = await gqlData<{ updateLead: { lead: Record<string, unknown>; fieldErrors: FieldError[] } }>(stack.url, UPDATE, {
      id,
      input: { status: 'Qualified', notes: null },
    });
    expect(data.updateLead.fieldErrors).toEqual([]);
    expect(data.updateLead.lead).toMatchObject({ id, firstName: lead.FirstName, email: lead.Email, status: 'Qualified', notes: null });
    expect(statusesSince(stack.clinicea.log, mark, 'PUT')).toEqual([429, 200]);
    const sync = await gqlData<{ leads: { nodes: Array<{ id: string; dataStatus: string }> } }>(
      stack.url,
      'query($since: DateTime) { leads(first: 100, changedSince: $since) { nodes { id dataStatus } } }',
      { since },
    );
    expect(sync.leads.nodes).toContainEqual({ id, dataStatus: 'MODIFIED' });
  });

  it('an unknown lead is NOT_FOUND; a refused update changes nothing', async () => {
    const missing = await gql(stack.url, UPDATE, { id: toGlobalId('CLINICEA', 'Lead', '999999999'), input: { firstName: 'Ghost' } });
    expect(codeOf(missing)).toBe('NOT_FOUND');
    const [lead] = stack.clinicea.store.leads.values();
    if (!lead) throw new Error('no leads');
    const before = { ...lead };
    const refused = await gqlData<{ updateLead: { lead: unknown; fieldErrors: FieldError[] } }>(stack.url, UPDATE, {
      id: toGlobalId('CLINICEA', 'Lead', lead.LeadID),
      input: { status: 'Maybe' },
    });
    expect(refused.updateLead.lead).toBeNull();
    expect(refused.updateLead.fieldErrors.map((e) => e.field)).toEqual(['status']);
    expect(stack.clinicea.store.leads.get(lead.LeadID)).toEqual(before);
  });

  it('deletes once; a 5xx on a delete is never resent', async () => {
    const [first, second] = stack.clinicea.store.leads.values();
    if (!first || !second) throw new Error('too few leads');
    const id = toGlobalId('CLINICEA', 'Lead', first.LeadID);
    let mark = stack.clinicea.log.length;
    stack.clinicea.faults.rateLimitBurst = 1;
    const data = await gqlData<{ deleteLead: { deletedLeadId: string } }>(stack.url, DELETE, { id });
    expect(data.deleteLead.deletedLeadId).toBe(id);
    expect(statusesSince(stack.clinicea.log, mark, 'DELETE')).toEqual([429, 204]);
    expect(stack.clinicea.store.leads.has(first.LeadID)).toBe(false);
    expect(stack.clinicea.store.tombstones.has(first.LeadID)).toBe(true);

    mark = stack.clinicea.log.length;
    stack.clinicea.faults.serverErrors = 1;
    const failed = await gql(stack.url, DELETE, { id: toGlobalId('CLINICEA', 'Lead', second.LeadID) });
    expect(codeOf(failed)).toBe('UPSTREAM_UNAVAILABLE');
    expect(statusesSince(stack.clinicea.log, mark, 'DELETE')).toEqual([500]);
    expect(stack.clinicea.store.leads.has(second.LeadID)).toBe(true);
  });
});

describe('deleteFile (CareCloud)', () => {
  const DELETE = /* GraphQL */ `mutation($id: ID!) { deleteFile(id: $id) { deletedFileId fieldErrors { field message } } }`;
  const bucket = () => {
    const files = stack.carecloud.store.files.get(CARECLOUD_DEFAULT_WORKSPACE_ID)?.get(CARECLOUD_DEFAULT_BUCKET_IDS[0]);
    if (!files) throw new Error('the default CareCloud bucket is missing');
    return files;
  };

  it('deletes once through a throttle, and the cached list and lookup stop showing it', async () => {
    const [name] = bucket().keys();
    if (!name) throw new Error('no seeded files');
    const id = toGlobalId('CARECLOUD', 'File', name);
    const before = await gqlData<{ files: { totalCount: number } }>(stack.url, '{ files(first: 1) { totalCount } }');
    await gqlData(stack.url, 'query($id: ID!) { file(id: $id) { name } }', { id });
    const mark = stack.carecloud.log.length;
    stack.carecloud.faults.rateLimitBurst = 1;
    const data = await gqlData<{ deleteFile: { deletedFileId: string; fieldErrors: FieldError[] } }>(stack.url, DELETE, { id });
    expect(data.deleteFile).toEqual({ deletedFileId: id, fieldErrors: [] });
    expect(statusesSince(stack.carecloud.log, mark, 'DELETE')).toEqual([429, 204]);
    expect(bucket().has(name)).toBe(false);
    const after = await gqlData<{ files: { totalCount: number } }>(stack.url, '{ files(first: 1) { totalCount } }');
    expect(after.files.totalCount).toBe(before.files.totalCount - 1);
    const lookup = await gqlData<{ file: unknown }>(stack.url, 'query($id: ID!) { file(id: $id) { name } }', { id });
    expect(lookup.file).toBeNull();
  });

  it('an unknown file is NOT_FOUND; a 5xx is never resent', async () => {
    const missing = await gql(stack.url, DELETE, { id: toGlobalId('CARECLOUD', 'File', 'no-such-file.txt') });
    expect(codeOf(missing)).toBe('NOT_FOUND');
    const [name] = bucket().keys();
    if (!name) throw new Error('no seeded files');
    const mark = stack.carecloud.log.length;
    stack.carecloud.faults.serverErrors = 1;
    const failed = await gql(stack.url, DELETE, { id: toGlobalId('CARECLOUD', 'File', name) });
    expect(codeOf(failed)).toBe('UPSTREAM_UNAVAILABLE');
    // API Gateway's 5xx is a 502 from the integration.
    expect(statusesSince(stack.carecloud.log, mark, 'DELETE')).toEqual([502]);
    expect(bucket().has(name)).toBe(true);
  });
});
