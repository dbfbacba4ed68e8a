// Declarations for the dependencies that ship no types: the part of each API the server uses.
// html-encoding-sniffer:
declare module 'html-encoding-sniffer' {
  /** Returns the canonical WHATWG encoding name of an HTML (or XML) byte stream. */
  export default function htmlEncodingSniffer(
    bytes: Uint8Array,
    options?: {
      transportLayerEncodingLabel?: string;
      defaultEncoding?: string;
      xml?: boolean;
      maxPrescanBytes?: number;
    },
  ): string;
}

// @joplin/turndown-plugin-gfm ships no types either.
declare module '@joplin/turndown-plugin-gfm' {
  import type TurndownService from 'turndown';
  /** Tables, strikethrough, task lists and highlighted code blocks. */
  export const gfm: TurndownService.Plugin;
}
