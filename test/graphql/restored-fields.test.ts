/**
 * The vendor fields that were once dropped, end to end over HTTP: each GraphQL field against the record the
 * simulator holds, so a field mapped from the wrong wire name, or left null, fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData } from '../helpers/graphql.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack.close();
});

const instant = (value: string | null) => (value === null ? null : new Date(value).toISOString());

describe('restored vendor fields', () => {
  it('CareHQ users carry invited and inviteAccepted (null while the invitation is pending)', async () => {
    const users = [...stack.carehq.store.users.values()];
    const accepted = users.find((u) => u.invite_accepted !== null);
    const pending = users.find((u) => u.invited !== null && u.invite_accepted === null);
    if (!accepted || !pending) throw new Error('expected the seed to hold an accepted and a pending invitation');
    const data = await gqlData<{ nodes: Array<{ invited: string | null; inviteAccepted: string | null; userName: string | null }> }>(
      stack.url,
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on User { invited inviteAccepted userName } } }',
      { ids: [accepted, pending].map((u) => toGlobalId('CAREHQ', 'User', u._id)) },
    );
    expect(data.nodes).toEqual([
      { invited: instant(accepted.invited), inviteAccepted: instant(accepted.invite_accepted), userName: null },
      { invited: instant(pending.invited), inviteAccepted: null, userName: null },
    ]);
  });

  it('Caseware users carry middleName, userName, admin, canLogin and inactiveAt', async () => {
    const users = stack.caseware.store.users;
    const inactive = users.find((u) => u.InActiveDate !== null);
    const withMiddle = users.find((u) => u.MiddleName !== null && u.InActiveDate === null);
    const admin = users.find((u) => u.Admin);
    const noLogin = users.find((u) => !u.CanLogin);
    const picked = [inactive, withMiddle, admin, noLogin];
    if (picked.some((u) => u === undefined)) throw new Error('expected the seed to hold inactive, middle-named, admin and no-login users');
    const data = await gqlData<{ nodes: Array<Record<string, unknown>> }>(
      stack.url,
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on User { middleName userName admin canLogin inactiveAt active invited } } }',
      { ids: picked.map((u) => toGlobalId('CASEWARE', 'User', u?.CWGuid ?? '')) },
    );
    expect(data.nodes).toEqual(
      picked.map((u) => ({
        middleName: u?.MiddleName ?? null,
        userName: u?.UserName,
        admin: u?.Admin,
        canLogin: u?.CanLogin,
        inactiveAt: instant(u?.InActiveDate ?? null),
        active: u?.Type === 'A',
        invited: null,
      })),
    );
    expect(data.nodes[0]?.inactiveAt).not.toBeNull();
  });

  it('CareCloud files carry fileId and status; size is a NonNegativeInt and downloadUrl an absolute URL', async () => {
    const data = await gqlData<{ files: { nodes: Array<{ name: string; fileId: string; status: string; size: number; downloadUrl: string }> } }>(
      stack.url,
      '{ files(first: 5) { nodes { name fileId status size downloadUrl } } }',
    );
    const stored = new Map<string, { FileId: string; Size: number }>();
    for (const workspace of stack.carecloud.store.files.values()) {
      for (const bucket of workspace.values()) for (const [name, file] of bucket) stored.set(name, file.meta);
    }
    expect(data.files.nodes.length).toBeGreaterThan(0);
    for (const file of data.files.nodes) {
      expect(file.fileId).toBe(stored.get(file.name)?.FileId);
      expect(file.size).toBe(stored.get(file.name)?.Size);
      expect(file.status).toBe('COMPLETE');
      expect(new URL(file.downloadUrl).origin).toBe(new URL(stack.url).origin);
    }
  });

  it('downloadUrl is typed URL and size NonNegativeInt', async () => {
    const result = await gql(stack.url, '{ __type(name: "File") { fields { name type { name kind ofType { name } } } } }');
    const fields = (result.data as { __type: { fields: Array<{ name: string; type: { ofType: { name: string } | null } }> } }).__type.fields;
    expect(fields.find((f) => f.name === 'downloadUrl')?.type.ofType?.name).toBe('URL');
    expect(fields.find((f) => f.name === 'size')?.type.ofType?.name).toBe('NonNegativeInt');
  });
});
