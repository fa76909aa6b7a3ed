import { isPlainObject } from '../shared/json';
import type { ProofProblem } from './problems';

/** A proof split and decoded once: its header and claims, and what its signature covers. */
export interface ParsedProof {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** The first two segments, as sent. */
  signingInput: string;
  /** The third segment, base64url. */
  signature: string;
}

/** A compact JWS with a non-empty signature: three base64url segments (RFC 7515 §7.1). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The `DPoP` header's value as a proof, or why it is none: not exactly one header value
 * (RFC 9449 §4.3 points 1 and 2), longer than `maxLength` (checked before anything is
 * decoded), not a compact JWS, or a header or payload that is not a JSON object.
 */
export function parseProof(value: unknown, maxLength: number): ParsedProof | ProofProblem {
  if (value === undefined) return 'proof_missing';
  if (typeof value !== 'string') return 'proof_malformed'; // several DPoP headers arrive as an array
  if (value.length > maxLength) return 'proof_too_long';
  if (!COMPACT_JWS.test(value)) return 'proof_malformed';
  const headerEnd = value.indexOf('.');
  const payloadEnd = value.indexOf('.', headerEnd + 1);
  const header = decodeSegment(value.slice(0, headerEnd));
  const claims = decodeSegment(value.slice(headerEnd + 1, payloadEnd));
  if (!isPlainObject(header) || !isPlainObject(claims)) return 'proof_malformed';
  return { header, claims, signingInput: value.slice(0, payloadEnd), signature: value.slice(payloadEnd + 1) };
}

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
