/**
 * Every suite of the attack corpora: each server configuration with its cases. The runner
 * (`run.mjs`) and the vitest file (`attacks.test.ts`) both run exactly this list.
 */
import { FILESYSTEM_PATH_CASES, GITHUB_PATH_CASES } from './corpus/paths.js';
import { POSTGRES_SQL_CASES, SQLITE_SQL_CASES } from './corpus/sql.js';
import { FETCH_DEFAULT_SSRF_CASES, FETCH_REDIRECT_SSRF_CASES } from './corpus/ssrf.js';
import {
  FETCH_UNICODE_CASES,
  FILESYSTEM_UNICODE_CASES,
  GITHUB_UNICODE_CASES,
  POSTGRES_UNICODE_CASES,
  SLACK_UNICODE_CASES,
  SQLITE_UNICODE_CASES,
} from './corpus/unicode.js';
import { defineSuite, type Suite } from './lib/execute.js';
import { fetchDefaultTarget, fetchLoopbackTarget } from './targets/fetch.js';
import { filesystemTarget } from './targets/filesystem.js';
import { githubTarget } from './targets/github.js';
import { postgresTarget } from './targets/postgres.js';
import { slackTarget } from './targets/slack.js';
import { sqliteTarget } from './targets/sqlite.js';

/** The suites, one per server configuration, each started once for all of its cases. */
export const SUITES: readonly Suite[] = [
  defineSuite(filesystemTarget, [...FILESYSTEM_UNICODE_CASES, ...FILESYSTEM_PATH_CASES]),
  defineSuite(sqliteTarget, [...SQLITE_SQL_CASES, ...SQLITE_UNICODE_CASES]),
  defineSuite(postgresTarget, [...POSTGRES_SQL_CASES, ...POSTGRES_UNICODE_CASES]),
  defineSuite(fetchDefaultTarget, FETCH_DEFAULT_SSRF_CASES),
  defineSuite(fetchLoopbackTarget, [...FETCH_REDIRECT_SSRF_CASES, ...FETCH_UNICODE_CASES]),
  defineSuite(githubTarget, [...GITHUB_PATH_CASES, ...GITHUB_UNICODE_CASES]),
  defineSuite(slackTarget, SLACK_UNICODE_CASES),
];
