/** The line a peer process prints once listening. */
export const PEER_READY = /BENCH_PEER (\S+)/;
