/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The gateway's GraphQL URL. Default http://localhost:4000/graphql. */
  readonly VITE_GATEWAY_URL?: string;
}
