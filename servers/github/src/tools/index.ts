import { addIssueComment } from './add_issue_comment.js';
import { createIssue } from './create_issue.js';
import { createPullRequest } from './create_pull_request.js';
import { createPullRequestReview } from './create_pull_request_review.js';
import type { AnyGitHubTool } from './define.js';
import { getCommit } from './get_commit.js';
import { getFileContents } from './get_file_contents.js';
import { getIssue } from './get_issue.js';
import { getJobLogs } from './get_job_logs.js';
import { getMe } from './get_me.js';
import { getPullRequest } from './get_pull_request.js';
import { getPullRequestChecks } from './get_pull_request_checks.js';
import { getPullRequestDiff } from './get_pull_request_diff.js';
import { getRepositoryTree } from './get_repository_tree.js';
import { getWorkflowRun } from './get_workflow_run.js';
import { listBranches } from './list_branches.js';
import { listCommits } from './list_commits.js';
import { listIssues } from './list_issues.js';
import { listLabels } from './list_labels.js';
import { listPullRequestReviewComments } from './list_pull_request_review_comments.js';
import { listPullRequestReviews } from './list_pull_request_reviews.js';
import { listPullRequests } from './list_pull_requests.js';
import { listReleases } from './list_releases.js';
import { listTags } from './list_tags.js';
import { listWorkflowJobs } from './list_workflow_jobs.js';
import { listWorkflowRuns } from './list_workflow_runs.js';
import { mergePullRequest } from './merge_pull_request.js';
import { searchCode } from './search_code.js';
import { searchIssues } from './search_issues.js';
import { searchRepositories } from './search_repositories.js';
import { searchUsers } from './search_users.js';
import { updateIssue } from './update_issue.js';
import { updatePullRequest } from './update_pull_request.js';
import { updatePullRequestBranch } from './update_pull_request_branch.js';

/** Every tool, grouped by toolset in README order; write tools are those whose readOnlyHint is false. */
export const ALL_TOOLS: readonly AnyGitHubTool[] = [
  getMe,
  getFileContents,
  getRepositoryTree,
  listBranches,
  listCommits,
  getCommit,
  listTags,
  listReleases,
  searchCode,
  searchRepositories,
  listIssues,
  getIssue,
  searchIssues,
  listLabels,
  createIssue,
  updateIssue,
  addIssueComment,
  listPullRequests,
  getPullRequest,
  getPullRequestDiff,
  listPullRequestReviews,
  listPullRequestReviewComments,
  getPullRequestChecks,
  createPullRequest,
  updatePullRequest,
  createPullRequestReview,
  mergePullRequest,
  updatePullRequestBranch,
  listWorkflowRuns,
  getWorkflowRun,
  listWorkflowJobs,
  getJobLogs,
  searchUsers,
] as AnyGitHubTool[];

/** Whether a tool changes anything on GitHub. */
export function isWriteTool(tool: AnyGitHubTool): boolean {
  return !tool.annotations.readOnlyHint;
}
