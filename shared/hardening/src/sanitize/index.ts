/** Public API of `@bulwark/hardening/sanitize`: cleaning untrusted text and the content envelope. */
export { type UntrustedSource, wrapUntrusted } from './envelope.js';
export { type StripResult, sanitizeName, stripUnsafeText } from './unsafe-text.js';
