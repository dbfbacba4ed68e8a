/**
 * Network guard: the address policy, the pinned DNS lookup, the redirect policy and the body and
 * time budgets that every Bulwark server making outbound HTTP requests goes through.
 */
export {
  type AddressClass,
  type AddressPolicy,
  type AddressPolicyOptions,
  type AddressVerdict,
  classifyAddress,
  createAddressPolicy,
  isAddressOrRange,
  parseIpLiteral,
} from './address-policy.js';
export {
  ACCEPT_ENCODING,
  type BoundedBody,
  MAX_STACKED_ENCODINGS,
  parseContentEncoding,
  readBoundedBody,
} from './body.js';
export {
  createGuardedClient,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_NET_TIMEOUT_MS,
  type GuardedClient,
  type GuardedClientOptions,
  type GuardedRequest,
  type GuardedResponse,
} from './client.js';
export { NetGuardError, type NetGuardRule } from './errors.js';
export { createPinnedLookup, type Resolver, systemResolver } from './lookup.js';
export { createNetPolicy, type NetPolicy, type NetPolicyOptions } from './policy.js';
