import { describe, expect, it } from 'vitest';
import {
  escapeCell,
  firstSentence,
  parseHelp,
  renderOptionsSection,
  renderTable,
  renderToolsSection,
  replaceBetweenMarkers,
  wrapParagraph,
} from '../../scripts/docs/render.mjs';

// The pure half of the README generator, driven with hand-made inputs: sentence cutting, cell
// escaping, the --help reader and the marker splice.

describe('firstSentence', () => {
  it.each([
    ['Reads a file. Binary files are refused.', 'Reads a file.'],
    ['Replaces text in order. old_text must occur once.', 'Replaces text in order.'],
    ['Lists tags, 100 per page.', 'Lists tags, 100 per page.'],
    [
      'Searches (GitHub syntax, e.g. "a. B"): repo and path. 30 per page.',
      'Searches (GitHub syntax, e.g. "a. B"): repo and path.',
    ],
    ['Code search, e.g. crash is:open. Second.', 'Code search, e.g. crash is:open.'],
    ['Reads the email with users:read.email. Then more.', 'Reads the email with users:read.email.'],
    ['Globs like `*.ts. x` match. Next.', 'Globs like `*.ts. x` match.'],
    ['Is it there? Yes.', 'Is it there?'],
    ['No final stop', 'No final stop'],
    ['Spans\n  lines.  Then.', 'Spans lines.'],
  ])('%j', (input, expected) => {
    expect(firstSentence(input)).toBe(expected);
  });
});

describe('escapeCell', () => {
  it('escapes pipes everywhere and HTML and emphasis outside code spans', () => {
    expect(escapeCell('a | b `x|y` <tag> `<ok>` *bold* `*.ts`')).toBe(
      'a \\| b `x\\|y` &lt;tag> `<ok>` \\*bold\\* `*.ts`',
    );
  });

  it('puts the cell on one line', () => {
    expect(escapeCell('one\ntwo')).toBe('one two');
  });
});

describe('renderTable', () => {
  it('pads every column to its widest cell', () => {
    expect(renderTable(['a', 'long header'], [['wide cell', 'x']])).toBe(
      ['| a         | long header |', '| --------- | ----------- |', '| wide cell | x           |'].join(
        '\n',
      ),
    );
  });

  it('refuses a row with the wrong number of cells', () => {
    expect(() => renderTable(['a', 'b'], [['only one']])).toThrow(/1 cells, the header 2/);
  });
});

describe('wrapParagraph', () => {
  it('breaks at spaces outside code spans only', () => {
    const text = 'aaaa `b b b` cccc';
    expect(wrapParagraph(text, 10)).toBe('aaaa\n`b b b`\ncccc');
  });
});

describe('renderToolsSection', () => {
  it('renders the marks, the first sentence, the group column and the enabling mode', () => {
    const section = renderToolsSection(
      [
        {
          name: 'get_thing',
          title: 'Get thing',
          description: 'Reads a thing. More detail.',
          annotations: {
            readOnlyHint: true,
            destructiveHint: false,
            idempotentHint: true,
            openWorldHint: true,
          },
          enabledBy: 'default',
          group: 'things',
        },
        {
          name: 'drop_thing',
          title: 'Drop thing',
          description: 'Drops a thing | for good.',
          annotations: {
            readOnlyHint: false,
            destructiveHint: true,
            idempotentHint: false,
            openWorldHint: false,
          },
          enabledBy: '`--allow-write`',
          group: 'things',
        },
      ],
      { groupHeader: 'toolset' },
    );
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(2);
    expect(rows[0]?.split('|').map((cell) => cell.trim())).toEqual([
      '',
      '`get_thing`',
      'Get thing',
      'things',
      'Reads a thing.',
      '✓',
      '',
      '✓',
      '✓',
      'default',
      '',
    ]);
    expect(rows[1]).toContain('Drops a thing \\| for good.');
    expect(rows[1]).toContain('`--allow-write`');
    expect(section).toContain('| tool ');
    expect(section).toContain(' toolset ');
  });
});

const HELP = `Usage: bulwark-server-demo [options] FILE

Options:
      --allow-write                  Allow writes. [env DEMO_ALLOW_WRITE]
      --mode VALUE                   a | b (default a). [env DEMO_MODE]
      --a-very-long-option-name-that-overflows VALUE Overflowing row.
  -h, --help                         Show this help.

Remote deployment (Streamable HTTP; see docs/deploy.md):
      --http VALUE                   Serve HTTP. [env BULWARK_HTTP]
  BULWARK_HTTP_TOKEN                 Static bearer token.
`;

describe('parseHelp', () => {
  it('reads the usage, the own options with their environment variables, and the remote options', () => {
    const help = parseHelp(HELP);
    expect(help.usage).toBe('bulwark-server-demo [options] FILE');
    expect(help.options).toEqual([
      { flag: 'allow-write', value: false, env: 'DEMO_ALLOW_WRITE', help: 'Allow writes.' },
      { flag: 'mode', value: true, env: 'DEMO_MODE', help: 'a | b (default a).' },
      { flag: 'a-very-long-option-name-that-overflows', value: true, help: 'Overflowing row.' },
      { flag: 'help', short: 'h', value: false, help: 'Show this help.' },
    ]);
    expect(help.remote.map((option) => option.flag)).toEqual(['http']);
    expect(help.remoteEnv).toEqual(['BULWARK_HTTP_TOKEN']);
  });

  it('fails loudly on a row it cannot read or text without options', () => {
    expect(() => parseHelp(HELP.replace('  -h, --help', '  help!'))).toThrow(
      /Cannot read this --help option row/,
    );
    expect(() => parseHelp('Usage: x\n')).toThrow(/no "Options:"/);
  });

  it('renders into an options table that escapes the pipe', () => {
    const section = renderOptionsSection(parseHelp(HELP));
    expect(section).toContain('| `--mode VALUE` ');
    expect(section).toContain('a \\| b (default a).');
    expect(section).toContain('`-h`, `--help`');
    expect(section).toContain('`--http`, `BULWARK_HTTP_TOKEN`');
  });
});

describe('replaceBetweenMarkers', () => {
  const readme = 'intro\n<!-- tools:start -->\nold\n<!-- tools:end -->\noutro\n';

  it('replaces only the text between the markers', () => {
    expect(replaceBetweenMarkers(readme, 'tools', 'new')).toBe(
      'intro\n<!-- tools:start -->\nnew\n<!-- tools:end -->\noutro\n',
    );
  });

  it('refuses missing, repeated or reversed markers', () => {
    expect(() => replaceBetweenMarkers('no markers', 'tools', 'x')).toThrow(/missing/);
    expect(() => replaceBetweenMarkers(`${readme}${readme}`, 'tools', 'x')).toThrow(/more than once/);
    expect(() => replaceBetweenMarkers('<!-- tools:end -->\n<!-- tools:start -->', 'tools', 'x')).toThrow(
      /comes before/,
    );
  });
});
