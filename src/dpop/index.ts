/**
 * DPoP (RFC 9449), the checks that need no request pipeline: proof verification, the key
 * thumbprint for `cnf.jkt`, replay caches, server nonces and the `WWW-Authenticate: DPoP`
 * challenge. Not exported from the package yet: the core wires it (token endpoint binding,
 * `Authorization: DPoP`, challenges).
 */
export { DEFAULT_DPOP_ALGORITHMS, DPOP_ALGORITHMS, type DpopAlgorithm } from './algorithms';
export { bindingOf, confirmationClaim, type TokenBinding } from './binding';
export { type DpopChallenge, dpopChallenge } from './challenge';
export type { ProofRequest } from './claims';
export { comparableUri, htuMatches } from './htu';
export { HmacNonces, type HmacNoncesOptions, type NonceSource } from './nonce';
export type { ProofProblem } from './problems';
export { type AcceptedProof, type ProofResult, type RefusedProof, verifyProof } from './proof';
export { MemoryReplayCache, type MemoryReplayCacheOptions, type ReplayCache } from './replay';
export { type ProofSettings, type ProofSettingsInput, proofSettings } from './settings';
export { jwkThumbprint } from './thumbprint';
