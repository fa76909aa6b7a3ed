/**
 * Why a DPoP proof was refused: the private detail for logs and metrics (the client only
 * ever hears `invalid_dpop_proof` or `use_dpop_nonce`). Fixed names, never proof content.
 */
export type ProofProblem =
  /** No `DPoP` header. */
  | 'proof_missing'
  /** Longer than `maxLength`: refused before any decoding. */
  | 'proof_too_long'
  /** Not one compact JWS with a JSON header and payload (several `DPoP` headers included). */
  | 'proof_malformed'
  /** `typ` is not `dpop+jwt`, or the header has `crit`. */
  | 'typ_invalid'
  /** `alg` is not an allowed asymmetric one: `none` and HMAC never are. */
  | 'algorithm_not_allowed'
  /** `jwk` is missing, not a public key of a type and strength that fits `alg`. */
  | 'jwk_invalid'
  /** `jwk` holds private key members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`, `k`). */
  | 'jwk_private'
  /** The signature does not verify with the header's `jwk`. */
  | 'signature_invalid'
  /** `jti`, `htm`, `htu` or `iat` missing or of the wrong type. */
  | 'claim_invalid'
  /** `htm` is not the request's method. */
  | 'htm_mismatch'
  /** `htu` is not the request's URI (scheme, host, path). */
  | 'htu_mismatch'
  /** `iat` is further from now than `maxAge` plus the leeway. */
  | 'iat_outside_window'
  /** An access token came with the proof and `ath` is missing or not its hash. */
  | 'ath_mismatch'
  /** The proof's key is not the one the access token is bound to (`cnf.jkt`). */
  | 'key_mismatch'
  /** This proof (its `jti`, for this key) was already used. */
  | 'jti_replayed'
  /** Nonces are required and the proof has none, or one that is not current. */
  | 'nonce_invalid';
