/**
 * Public API of `@bulwark/hardening/sandbox`: operator roots, client roots (intersected, never
 * widened), path resolution and open-then-verify.
 */
export { type CanonicalPath, canonicalize } from './canonicalize.js';
export { isWithin } from './containment.js';
export { createDenyList, DEFAULT_DENY_PATTERNS, type DenyList } from './deny-list.js';
export { SandboxError, type SandboxErrorCode } from './errors.js';
export {
  expandHome,
  intersectClientRoots,
  parseRootSpec,
  type Root,
  type RootSpec,
  resolveOperatorRoots,
  splitRootList,
} from './roots.js';
export {
  type Access,
  type ExpectedKind,
  type HardLinkPolicy,
  type ResolvedEntry,
  type ResolvedPath,
  Sandbox,
  type SandboxPolicy,
  type VerifiedHandle,
} from './sandbox.js';
