/**
 * The HTML encoding sniffer, alone in its module so that decode.ts can load it with `import()` on
 * the first HTML page instead of at start-up (html-encoding-sniffer brings the WHATWG encoding
 * tables of @exodus/bytes).
 */
import htmlEncodingSniffer from 'html-encoding-sniffer';

/**
 * Runs the HTML Standard's encoding sniffing algorithm over a body: byte order mark, then the
 * transport's charset label, then a `<meta>` declaration in the first 1024 bytes, then
 * windows-1252.
 *
 * @param bytes - the body
 * @param charset - the `Content-Type` charset parameter, if any
 * @returns the WHATWG encoding name
 * @example
 * sniffHtmlEncoding(new TextEncoder().encode('<meta charset="shift_jis">'), undefined); // 'Shift_JIS'
 */
export function sniffHtmlEncoding(bytes: Uint8Array, charset: string | undefined): string {
  return htmlEncodingSniffer(bytes, charset ? { transportLayerEncodingLabel: charset } : {});
}
