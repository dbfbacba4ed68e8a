// What a published package may contain, checked on the tarball `pnpm pack` writes (the exact bytes
// npm would receive) or on a directory about to be zipped into an MCP Bundle. Shared by
// `pnpm release --dry-run` (scripts/release/release.mjs), `pnpm bundle` (scripts/bundle/build.mjs)
// and test/release/tarballs.test.ts, so CI and the release run the same rules.
//
// Each check returns problems (the release stops) and warnings (printed, not fatal):
//   contents      no tests, fixtures, tool snapshots, TypeScript sources or build configs
//   source-maps   no sourceMappingURL to a missing file, no map that embeds sources or names
//                 absolute paths
//   secrets       no private key blocks, GitHub / Slack / AWS / npm tokens, credential files
//   local-paths   no absolute path of the machine that packed it (the repository root, the home
//                 directory)
//   package-json  the fields a registry user and the MCP Registry rely on
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The check ids, in the order they are reported. */
export const CHECK_IDS = ['contents', 'source-maps', 'secrets', 'local-paths', 'package-json'];

const CHECK_TITLES = {
  contents: 'no tests, sources or build configs',
  'source-maps': 'no source map leaks sources or paths',
  secrets: 'no keys, tokens or credential files',
  'local-paths': 'no path of the packing machine',
  'package-json': 'package.json has what users and registries need',
};

/**
 * Reads a gzipped tar archive (an npm tarball) into memory. Understands ustar names with a
 * prefix, pax `path` records and GNU long names; strips the first path segment (`package/`).
 *
 * @param {string} file - path of the .tgz
 * @returns {import('./tarball-checks.d.mts').PackedFile[]} regular files, symlinks and others
 * @throws when the archive is truncated or not gzip
 */
export function readTarball(file) {
  const archive = gunzipSync(readFileSync(file));
  const files = [];
  let offset = 0;
  let longName;
  let paxPath;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = readTarNumber(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] || 48);
    const dataStart = offset + 512;
    if (dataStart + size > archive.length) throw new Error(`${file}: truncated tar entry`);
    const data = archive.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = cString(data);
      continue;
    }
    if (type === 'x') {
      paxPath = paxRecord(data, 'path') ?? paxPath;
      continue;
    }
    if (type === 'g') continue;
    const prefix = cString(header.subarray(345, 500));
    const name =
      paxPath ??
      longName ??
      (prefix ? `${prefix}/${cString(header.subarray(0, 100))}` : cString(header.subarray(0, 100)));
    longName = undefined;
    paxPath = undefined;
    const relative = name
      .replace(/^\.?\//, '')
      .split('/')
      .slice(1)
      .join('/');
    if (type === '5' || relative === '') continue;
    files.push({
      path: relative,
      type: type === '0' || type === '7' ? 'file' : type === '2' ? 'symlink' : 'other',
      mode: readTarNumber(header.subarray(100, 108)),
      size,
      data: Buffer.from(data),
    });
  }
  return files;
}

function cString(bytes) {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8');
}

function readTarNumber(field) {
  if (field[0] & 0x80) {
    let value = 0;
    for (let index = 1; index < field.length; index++) value = value * 256 + field[index];
    return value;
  }
  const text = cString(field).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function paxRecord(data, key) {
  for (const line of data.toString('utf8').split('\n')) {
    const match = /^\d+ ([^=]+)=(.*)$/.exec(line);
    if (match?.[1] === key) return match[2];
  }
  return undefined;
}

/**
 * Reads a directory tree the way `readTarball` reads an archive (paths relative to `dir`, `/`
 * separators). Symlinks are listed, not followed.
 *
 * @param {string} dir - the directory
 * @returns {import('./tarball-checks.d.mts').PackedFile[]} the files below it
 */
export function readPackageDirectory(dir) {
  const files = [];
  const walk = (relative) => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      const full = path.join(dir, child);
      if (entry.isDirectory()) walk(child);
      else if (entry.isSymbolicLink())
        files.push({ path: child, type: 'symlink', mode: 0o777, size: 0, data: Buffer.alloc(0) });
      else if (entry.isFile()) {
        const data = readFileSync(full);
        files.push({
          path: child,
          type: 'file',
          mode: lstatSync(full).mode & 0o777,
          size: data.length,
          data,
        });
      } else files.push({ path: child, type: 'other', mode: 0, size: 0, data: Buffer.alloc(0) });
    }
  };
  walk('');
  return files;
}

/**
 * The absolute paths of this machine that must never end up in a package: the repository root
 * and the home directory. The home directory counts only when it names a person (two or more
 * segments, `/home/alice`, `/Users/bob`): `/root` also appears in every other README's examples.
 *
 * @param {string} repoRoot - the repository root
 * @returns {string[]} the paths, longest first
 */
export function machinePaths(repoRoot) {
  const paths = new Set([path.resolve(repoRoot)]);
  const home = os.homedir();
  if (home && home.split(/[\\/]/).filter(Boolean).length >= 2) paths.add(home);
  return [...paths].sort((a, b) => b.length - a.length);
}

const TEST_PATTERNS = [
  /(^|\/)(test|tests|__tests__|__mocks__|__fixtures__|fixtures|__toolsnaps__|__snapshots__)\//,
  /\.(test|spec)\.[cm]?[jt]sx?$/,
  /(^|\/)(vitest|jest|vite)\.config\.[cm]?[jt]s$/,
  /(^|\/)tsconfig(\.[^/]*)?\.json$/,
  /(^|\/)tsup\.config\.[cm]?[jt]s$/,
  /\.tsbuildinfo$/,
];

const TYPESCRIPT_SOURCE = /\.[cm]?tsx?$/;
const DECLARATION = /\.d\.[cm]?ts$/;

function sourcesAllowed(pkg) {
  const files = Array.isArray(pkg?.files) ? pkg.files : [];
  return files.some(
    (entry) => typeof entry === 'string' && entry.replace(/^\.\//, '').split('/')[0] === 'src',
  );
}

function checkContents(files, pkg) {
  const problems = [];
  const allowSources = sourcesAllowed(pkg);
  for (const file of files) {
    if (TEST_PATTERNS.some((pattern) => pattern.test(file.path))) {
      problems.push(`${file.path}: a test, fixture, snapshot or build config file`);
    } else if (
      !allowSources &&
      (file.path.startsWith('src/') || (TYPESCRIPT_SOURCE.test(file.path) && !DECLARATION.test(file.path)))
    ) {
      problems.push(`${file.path}: TypeScript source (package.json "files" does not include src)`);
    }
  }
  return { problems, warnings: [] };
}

const SOURCE_MAPPING_URL = /[#@]\s*sourceMappingURL=([^\s'"*]+)/g;

function isAbsoluteSource(source) {
  return (
    /^(\/|\\|[A-Za-z]:[\\/]|file:)/.test(source) || source.includes('/home/') || source.includes('/Users/')
  );
}

function inspectMap(label, text, problems) {
  let map;
  try {
    map = JSON.parse(text);
  } catch {
    problems.push(`${label}: not valid JSON`);
    return;
  }
  const sections = Array.isArray(map?.sections) ? map.sections.map((section) => section.map ?? {}) : [map];
  for (const section of sections) {
    if (Array.isArray(section.sourcesContent) && section.sourcesContent.some((content) => content != null)) {
      problems.push(`${label}: embeds the original sources (sourcesContent)`);
    }
    const absolute = (Array.isArray(section.sources) ? section.sources : []).filter(
      (source) => typeof source === 'string' && isAbsoluteSource(source),
    );
    if (absolute.length > 0)
      problems.push(`${label}: absolute source paths (${absolute.slice(0, 2).join(', ')})`);
    if (typeof section.sourceRoot === 'string' && isAbsoluteSource(section.sourceRoot)) {
      problems.push(`${label}: absolute sourceRoot (${section.sourceRoot})`);
    }
  }
}

function decodeDataUrl(url) {
  const comma = url.indexOf(',');
  const meta = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  return meta.endsWith(';base64')
    ? Buffer.from(payload, 'base64').toString('utf8')
    : decodeURIComponent(payload);
}

function checkSourceMaps(files) {
  const problems = [];
  const present = new Set(files.map((file) => file.path));
  for (const file of files) {
    if (file.type !== 'file') continue;
    if (/\.map$/.test(file.path)) {
      inspectMap(file.path, file.data.toString('utf8'), problems);
      continue;
    }
    if (!/\.([cm]?js|css)$/.test(file.path)) continue;
    const text = file.data.toString('utf8');
    for (const match of text.matchAll(SOURCE_MAPPING_URL)) {
      const url = match[1];
      if (url.startsWith('data:')) {
        inspectMap(`${file.path} (inline map)`, decodeDataUrl(url), problems);
        continue;
      }
      if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
        problems.push(`${file.path}: sourceMappingURL points outside the package (${url})`);
        continue;
      }
      const target = path.posix.normalize(
        path.posix.join(path.posix.dirname(file.path), url.split(/[?#]/)[0]),
      );
      if (!present.has(target))
        problems.push(`${file.path}: sourceMappingURL points to ${target}, which is not in the package`);
    }
  }
  return { problems, warnings: [] };
}

/** Secret shapes: what each looks like and what it is. Patterns only match real-looking values. */
const SECRET_PATTERNS = [
  // The header followed by key material: a bare header is only a marker some parsers look for.
  {
    kind: 'private key block',
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----\s*(?:\\[rn]|[A-Za-z0-9+/=\s]){64}/,
  },
  { kind: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { kind: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{40,}\b/ },
  { kind: 'Slack token', pattern: /\bxox[abprs]-[0-9]{6,}-[0-9A-Za-z-]{8,}/ },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
];

const CREDENTIAL_FILES = [
  /(^|\/)\.env(\.(?!example$|sample$|template$)[^/]*)?$/,
  /(^|\/)\.(npmrc|netrc|pypirc|git-credentials|pgpass)$/,
  /(^|\/)id_(rsa|dsa|ecdsa|ed25519)$/,
  /\.(pem|key|p12|pfx|jks|keystore)$/,
];

function isText(data) {
  return !data.subarray(0, 8192).includes(0);
}

function lineOf(text, index) {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

function checkSecrets(files, { credentialFileNames = true } = {}) {
  const problems = [];
  for (const file of files) {
    if (credentialFileNames && CREDENTIAL_FILES.some((pattern) => pattern.test(file.path))) {
      problems.push(`${file.path}: a credential or key file`);
    }
    if (file.type !== 'file' || !isText(file.data)) continue;
    const text = file.data.toString('utf8');
    for (const { kind, pattern } of SECRET_PATTERNS) {
      const match = pattern.exec(text);
      if (match)
        problems.push(`${file.path}:${lineOf(text, match.index)}: ${kind} (${match[0].slice(0, 8)}…)`);
    }
  }
  return { problems, warnings: [] };
}

function checkLocalPaths(files, localPaths) {
  const problems = [];
  // A path counts only as a whole path where paths start: /root matches "/root/x" and ' /root',
  // not /roots or the </root> of an XML snippet.
  const patterns = localPaths.map((local) => ({
    local,
    pattern: new RegExp(
      `(?<=^|[\\s"'\`(=:,[{])${local.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_.-])`,
      'm',
    ),
  }));
  for (const file of files) {
    if (file.type !== 'file' || !isText(file.data)) continue;
    const text = file.data.toString('utf8');
    for (const { local, pattern } of patterns) {
      const match = pattern.exec(text);
      if (match) {
        problems.push(`${file.path}:${lineOf(text, match.index)}: contains ${local}`);
        break;
      }
    }
  }
  return { problems, warnings: [] };
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const MCP_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

function exportTargets(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) exportTargets(item, out);
  else if (value && typeof value === 'object')
    for (const item of Object.values(value)) exportTargets(item, out);
  return out;
}

function checkPackageJson(files, pkg, { server }) {
  const problems = [];
  const warnings = [];
  if (!pkg) return { problems: ['package.json: missing or not JSON'], warnings };
  const present = new Map(files.map((file) => [file.path, file]));
  const need = (ok, message) => {
    if (!ok) problems.push(message);
  };
  const nonEmpty = (value) => typeof value === 'string' && value.trim() !== '';
  need(nonEmpty(pkg.name), 'name missing');
  need(
    typeof pkg.version === 'string' && SEMVER.test(pkg.version),
    `version "${pkg.version}" is not a semantic version`,
  );
  need(nonEmpty(pkg.description), 'description missing');
  need(nonEmpty(pkg.license), 'license missing');
  need(
    nonEmpty(typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url),
    'repository.url missing',
  );
  need(
    Array.isArray(pkg.keywords) && pkg.keywords.length > 0 && pkg.keywords.every(nonEmpty),
    'keywords missing (a non-empty list)',
  );
  need(Array.isArray(pkg.files) && pkg.files.length > 0, 'files missing (an allowlist of what is published)');
  need(nonEmpty(pkg.engines?.node), 'engines.node missing');
  need(
    pkg.publishConfig?.access === 'public',
    'publishConfig.access is not "public" (scoped packages default to restricted)',
  );
  need(pkg.publishConfig?.provenance === true, 'publishConfig.provenance is not true');
  if (pkg.exports && typeof pkg.exports === 'object') {
    for (const target of exportTargets(pkg.exports)) {
      const relative = target.replace(/^\.\//, '');
      if (relative.includes('*')) continue;
      need(present.has(relative), `exports target ${target} is not in the package`);
      need(
        !relative.startsWith('src/') && !(TYPESCRIPT_SOURCE.test(relative) && !DECLARATION.test(relative)),
        `exports target ${target} is a source file`,
      );
    }
  } else problems.push('exports missing');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      need(
        !/^(workspace|file|link|portal):/.test(String(range)),
        `${field}.${name} is "${range}", which only resolves inside this workspace`,
      );
    }
  }
  if (server) {
    const bins = typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {});
    need(Object.keys(bins).length > 0, 'bin missing (a server is started through its bin)');
    for (const [name, target] of Object.entries(bins)) {
      const file = present.get(String(target).replace(/^\.\//, ''));
      if (!file) problems.push(`bin ${name} -> ${target} is not in the package`);
      else
        need(
          file.data.subarray(0, 32).toString('utf8').startsWith('#!/usr/bin/env node'),
          `bin ${name} -> ${target} has no "#!/usr/bin/env node" line`,
        );
    }
    need(
      typeof pkg.mcpName === 'string' && MCP_NAME.test(pkg.mcpName),
      'mcpName missing (the MCP Registry checks it against server.json)',
    );
  }
  if (!present.has('README.md')) warnings.push('no README.md in the package');
  if (![...present.keys()].some((name) => /^(LICEN[CS]E|COPYING)(\.[a-z]+)?$/i.test(name))) {
    warnings.push('no LICENSE file in the package (npm adds none for workspace packages)');
  }
  return { problems, warnings };
}

/**
 * Runs every check on the files of one package.
 *
 * @param {import('./tarball-checks.d.mts').PackedFile[]} files - from `readTarball` or
 *   `readPackageDirectory`
 * @param {import('./tarball-checks.d.mts').CheckOptions} options - what kind of package, whose
 *   paths are local, which checks
 * @returns {import('./tarball-checks.d.mts').CheckResult[]} one result per check, in `CHECK_IDS` order
 */
export function checkPackageFiles(files, options) {
  const { server = false, localPaths = [], only = CHECK_IDS, credentialFileNames = true } = options;
  let pkg;
  const manifest = files.find((file) => file.path === 'package.json');
  try {
    pkg = manifest ? JSON.parse(manifest.data.toString('utf8')) : undefined;
  } catch {
    pkg = undefined;
  }
  const run = {
    contents: () => checkContents(files, pkg),
    'source-maps': () => checkSourceMaps(files),
    secrets: () => checkSecrets(files, { credentialFileNames }),
    'local-paths': () => checkLocalPaths(files, localPaths),
    'package-json': () => checkPackageJson(files, pkg, { server }),
  };
  return CHECK_IDS.filter((id) => only.includes(id)).map((id) => ({
    id,
    title: CHECK_TITLES[id],
    ...run[id](),
  }));
}
