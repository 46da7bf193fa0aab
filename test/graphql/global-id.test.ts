/**
 * Vendor id shapes, checked where global ids are decoded: every id the vendors' docs and our simulators hand
 * out decodes, and nothing that could change a vendor URL does.
 */
import { describe, expect, it } from 'vitest';
import type { Vendor } from '../../src/domain/vendor.ts';
import { fromGlobalId, toGlobalId } from '../../src/graphql/global-id.ts';
import { seedCareCloudFiles } from '../../src/simulators/carecloud/seed.ts';
import { buildCareHqSeed } from '../../src/simulators/carehq/seed.ts';
import { seedCaseware } from '../../src/simulators/caseware/seed.ts';
import { seedCliniceaLeads } from '../../src/simulators/clinicea/seed.ts';
import { seedGenericUsers } from '../../src/simulators/generic/seed.ts';

const careHq = buildCareHqSeed({ seed: 7, enquiries: 50, users: 10 });
const caseware = seedCaseware({ seed: 7, users: 10, entities: 20 });

const SEEDED: Array<[Vendor, string, string[]]> = [
  ['CAREHQ', 'Enquiry', [...careHq.enquiries.keys()]],
  ['CAREHQ', 'User', [...careHq.users.keys()]],
  ['CLINICEA', 'Lead', seedCliniceaLeads({ seed: 7, count: 20 }).map((lead) => lead.LeadID)],
  ['CASEWARE', 'Client', caseware.entities.map((entity) => entity.CWGuid)],
  ['CASEWARE', 'User', caseware.users.map((user) => user.CWGuid)],
  ['CARECLOUD', 'File', seedCareCloudFiles({ seed: 7, count: 40, workspaceId: 'w', bucketId: 'b', uploaderIds: [] }).map((file) => file.meta.Name)],
  ['GENERIC', 'User', seedGenericUsers(7, 20).map((user) => user.id)],
];

describe('fromGlobalId', () => {
  it.each(SEEDED)('decodes every seeded %s %s id', (vendor, type, ids) => {
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(fromGlobalId(toGlobalId(vendor, type, id), type)).toEqual({ vendor, type, id });
  });

  it.each([
    ['CAREHQ', 'Enquiry', '5F1D7C3E9A0B1C2D3E4F5A6B'],
    ['CLINICEA', 'Lead', '1'],
    ['CLINICEA', 'Lead', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
    // The GUID in Caseware's own auth example.
    ['CASEWARE', 'Client', '966592b3-8586-4541-9909-f7a901ef0b9a'],
    ['CARECLOUD', 'File', 'A'],
    ['CARECLOUD', 'File', 'x'.repeat(200)],
    ['GENERIC', 'User', '123'],
    ['GENERIC', 'User', 'user.name~1'],
  ] as const)('accepts the %s %s id %j', (vendor, type, id) => {
    expect(fromGlobalId(toGlobalId(vendor, type, id)).id).toBe(id);
  });

  const HOSTILE = ['.', '..', 'a/b', '../x', '%2e%2e', 'a%2Fb', 'a?b', 'a#b', 'a b', ' a', 'a\u0000', 'a\nb', 'a\\b', "a'b", 'a,b', 'é'];
  const TYPES: Array<[Vendor, string]> = [
    ['CAREHQ', 'Enquiry'],
    ['CAREHQ', 'User'],
    ['CLINICEA', 'Lead'],
    ['CASEWARE', 'Client'],
    ['CASEWARE', 'User'],
    ['CARECLOUD', 'File'],
    ['GENERIC', 'User'],
  ];

  it.each(TYPES.flatMap(([vendor, type]) => HOSTILE.filter((id) => !(vendor === 'CARECLOUD' && id === 'a b')).map((id) => [vendor, type, id] as const)))(
    'refuses the %s %s id %j as BAD_USER_INPUT',
    (vendor, type, id) => {
      expect(() => fromGlobalId(toGlobalId(vendor, type, id))).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
    },
  );

  it.each([
    ['a type its vendor does not serve', toGlobalId('CLINICEA', 'User', '1')],
    ['an inherited property name as the type', toGlobalId('GENERIC', 'Constructor', 'x')],
    ['ObjectId too short', toGlobalId('CAREHQ', 'Enquiry', '0'.repeat(23))],
    ['a GUID without dashes', toGlobalId('CASEWARE', 'User', '966592b3858645419909f7a901ef0b9a')],
    ['a file name of 201 characters', toGlobalId('CARECLOUD', 'File', 'x'.repeat(201))],
  ])('refuses %s', (_case, id) => {
    expect(() => fromGlobalId(id)).toThrow('is not a valid id');
  });
});
