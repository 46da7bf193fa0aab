/** The vendors behind the gateway, as the GraphQL `Vendor` enum names them. */
export const VENDORS = ['CAREHQ', 'CLINICEA', 'CASEWARE', 'CARECLOUD', 'GENERIC'] as const;
export type Vendor = (typeof VENDORS)[number];

export function isVendor(value: string): value is Vendor {
  return (VENDORS as readonly string[]).includes(value);
}
