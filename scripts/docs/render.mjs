// Pure rendering for the generated README sections: the tool table, the options table, and the
// marker blocks they live in. Nothing here starts a process or touches the disk, so the unit tests
// in test/docs can drive it with hand-made inputs.

/** The four MCP tool annotations, in the order the table shows them, with their column headers. */
export const HINT_COLUMNS = [
  { key: 'readOnlyHint', header: 'RO', name: 'read-only' },
  { key: 'destructiveHint', header: 'D', name: 'destructive' },
  { key: 'idempotentHint', header: 'I', name: 'idempotent' },
  { key: 'openWorldHint', header: 'OW', name: 'open-world' },
];

/** Abbreviations whose final dot does not end a sentence. */
const ABBREVIATION = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf|incl|approx)\.$/i;

/**
 * The first sentence of a tool description: the text up to the first `.`, `!` or `?` that is
 * followed by the end or by whitespace, is not the dot of an abbreviation (`e.g.`, `i.e.`, `etc.`)
 * and is not inside parentheses, brackets, braces, a code span or double quotes (so
 * `users:read.email`, `(see a. b)` and `e.g. "x. y"` do not end it). A sentence may start with a
 * lower-case parameter name (`old_text must ...`), so case is not a signal.
 *
 * @param description - the tool's description
 * @returns the first sentence, whitespace collapsed
 * @example firstSentence('Reads a file. Binary files are refused.') // 'Reads a file.'
 */
export function firstSentence(description) {
  const text = description.replace(/\s+/g, ' ').trim();
  let depth = 0;
  let code = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '`') code = !code;
    if (code) continue;
    if (char === '"') quoted = !quoted;
    if (quoted) continue;
    if (char === '(' || char === '[' || char === '{') depth++;
    else if ((char === ')' || char === ']' || char === '}') && depth > 0) depth--;
    else if ((char === '.' || char === '!' || char === '?') && depth === 0) {
      const rest = text.slice(i + 1);
      const sentence = text.slice(0, i + 1);
      if (rest === '' || (/^\s/.test(rest) && !ABBREVIATION.test(sentence))) return sentence;
    }
  }
  return text;
}

/**
 * Makes text safe for one Markdown table cell: `|` is escaped everywhere (GitHub needs `\|` even
 * inside code spans), and outside code spans `<` becomes `&lt;` and `*` becomes `\*`, so a
 * description cannot open an HTML tag or emphasis. Line breaks become spaces.
 *
 * @param text - cell text (Markdown)
 * @returns the escaped cell text
 */
export function escapeCell(text) {
  return text
    .replace(/\s+/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part, index) =>
      index % 2 === 1
        ? part.replace(/\|/g, '\\|')
        : part.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\*/g, '\\*'),
    )
    .join('');
}

/**
 * Wraps one paragraph of Markdown at spaces outside code spans, so no line (other than one
 * holding a single long word) is longer than `width`.
 *
 * @param text - the paragraph, on one line
 * @param width - the longest line, in characters (default 100)
 * @returns the paragraph with line breaks
 */
export function wrapParagraph(text, width = 100) {
  const words = [];
  let current = '';
  let code = false;
  for (const char of text) {
    if (char === '`') code = !code;
    if (char === ' ' && !code) {
      if (current) words.push(current);
      current = '';
    } else current += char;
  }
  if (current) words.push(current);
  const lines = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/**
 * Renders a Markdown table with every column padded to its widest cell, as a formatter would.
 *
 * @param headers - column headers
 * @param rows - cells, already escaped, one array per row
 * @returns the table, lines joined by `\n`, no trailing newline
 * @throws Error when a row has a different number of cells than the headers
 */
export function renderTable(headers, rows) {
  for (const row of rows) {
    if (row.length !== headers.length) {
      throw new Error(
        `A table row has ${row.length} cells, the header ${headers.length}: ${row.join(' | ')}`,
      );
    }
  }
  const widths = headers.map((header, column) =>
    Math.max(3, header.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [
    line(headers),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

/**
 * Renders the tool table of one server.
 *
 * @param tools - `{ name, title, description, annotations, enabledBy, group? }` in table order
 * @param options - `groupHeader`: header of the group column (e.g. `toolset`); omitted, there is none
 * @returns the Markdown of the generated section (no markers)
 */
export function renderToolsSection(tools, options = {}) {
  const grouped = options.groupHeader !== undefined;
  const headers = [
    'tool',
    'title',
    ...(grouped ? [options.groupHeader] : []),
    'what it does',
    ...HINT_COLUMNS.map((hint) => hint.header),
    'enabled by',
  ];
  const rows = tools.map((tool) => [
    `\`${tool.name}\``,
    escapeCell(tool.title ?? ''),
    ...(grouped ? [escapeCell(tool.group ?? '')] : []),
    escapeCell(firstSentence(tool.description ?? '')),
    ...HINT_COLUMNS.map((hint) => (tool.annotations?.[hint.key] === true ? '✓' : '')),
    tool.enabledBy,
  ]);
  const legend = HINT_COLUMNS.map((hint) => `${hint.header} ${hint.name} (\`${hint.key}\`)`).join(', ');
  return [
    '<!-- Generated by `pnpm docs` from the tools the built servers list; edit the tool definitions, not this table. -->',
    '',
    renderTable(headers, rows),
    '',
    wrapParagraph(
      `${legend}: the annotations each tool declares. "enabled by" is the first configuration, from the default up, in which the server lists the tool.`,
    ),
  ].join('\n');
}

/**
 * Parses the `--help` text that `@bulwark/runtime` prints (`formatHelp` and `formatOptionRows`):
 * the usage line, the server's own options, and the shared remote-deployment options after the
 * `Remote deployment` heading.
 *
 * @param help - everything the bin wrote for `--help`
 * @returns `{ usage, options, remote, remoteEnv }`; each option is `{ flag, short?, value, env?, help }`
 * @throws Error when the text does not have that shape, or an option row cannot be read
 */
export function parseHelp(help) {
  const lines = help.split('\n');
  const usageLine = lines.find((line) => line.startsWith('Usage: '));
  if (!usageLine) throw new Error('The --help text has no "Usage:" line.');
  const optionsAt = lines.indexOf('Options:');
  if (optionsAt < 0) throw new Error('The --help text has no "Options:" section.');
  const remoteAt = lines.findIndex((line) => line.startsWith('Remote deployment'));
  const own = [];
  let index = optionsAt + 1;
  for (; index < lines.length && lines[index] !== ''; index++) own.push(parseOptionRow(lines[index]));
  const remote = [];
  const remoteEnv = [];
  if (remoteAt >= 0) {
    for (index = remoteAt + 1; index < lines.length && lines[index] !== ''; index++) {
      const envOnly = /^ {2}([A-Z][A-Z0-9_]+) +\S/.exec(lines[index]);
      if (envOnly) remoteEnv.push(envOnly[1]);
      else remote.push(parseOptionRow(lines[index]));
    }
  }
  if (own.length === 0) throw new Error('The --help text lists no options.');
  return { usage: usageLine.slice('Usage: '.length).trim(), options: own, remote, remoteEnv };
}

function parseOptionRow(line) {
  const match =
    /^ {2}(?:-([A-Za-z0-9]), | {4})--([a-z0-9][a-z0-9-]*)( VALUE)? +(.+?)(?: \[env ([A-Z][A-Z0-9_]*)\])?$/.exec(
      line,
    );
  if (!match) throw new Error(`Cannot read this --help option row: "${line}"`);
  return {
    flag: match[2],
    ...(match[1] ? { short: match[1] } : {}),
    value: match[3] !== undefined,
    ...(match[5] ? { env: match[5] } : {}),
    help: match[4],
  };
}

/**
 * Renders the options section of one server from its parsed `--help`.
 *
 * @param help - the result of {@link parseHelp}
 * @returns the Markdown of the generated section (no markers)
 */
export function renderOptionsSection(help) {
  const rows = help.options.map((option) => [
    `${option.short ? `\`-${option.short}\`, ` : ''}\`--${option.flag}${option.value ? ' VALUE' : ''}\``,
    option.env ? `\`${option.env}\`` : '',
    escapeCell(option.help),
  ]);
  const parts = [
    '<!-- Generated by `pnpm docs` from the `--help` of the built server; edit the option table in src/config.ts, not this section. -->',
    '',
    '```text',
    help.usage,
    '```',
    '',
    renderTable(['flag', 'environment', 'meaning'], rows),
  ];
  if (help.remote.length > 0) {
    const names = [
      ...help.remote.map((option) => `\`--${option.flag}\``),
      ...help.remoteEnv.map((env) => `\`${env}\``),
    ];
    parts.push(
      '',
      wrapParagraph(
        `The remote-deployment options every Bulwark server shares (Streamable HTTP instead of stdio) are described in [docs/deploy.md](../../docs/deploy.md): ${names.join(', ')}.`,
      ),
    );
  }
  return parts.join('\n');
}

/**
 * Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`, keeping the markers.
 *
 * @param readme - the README text
 * @param name - marker name (`tools`, `options`)
 * @param body - the new text between the markers (without surrounding newlines)
 * @returns the new README text
 * @throws Error when the markers are missing, repeated or out of order
 */
export function replaceBetweenMarkers(readme, name, body) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`missing the ${start} ... ${end} markers`);
  if (readme.indexOf(start, from + 1) >= 0 || readme.indexOf(end, to + 1) >= 0) {
    throw new Error(`the ${name} markers appear more than once`);
  }
  if (to < from) throw new Error(`${end} comes before ${start}`);
  return `${readme.slice(0, from + start.length)}\n${body}\n${readme.slice(to)}`;
}
