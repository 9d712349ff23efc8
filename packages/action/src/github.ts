import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { docsPageUrl } from '@clickplan/core';

// Every GitHub API call the Action makes. A call the token may not make (a fork's read-only token,
// missing `permissions:`) is a warning, never a failure: the review is in the job summary and the
// annotations either way. Each method returns undefined when the call did not go through.

type Octokit = ReturnType<typeof getOctokit>;

export interface Repository {
  owner: string;
  repo: string;
}

/** One annotation of a check run, as the Checks API takes it. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunResult {
  id: number;
  url: string;
  /** Requests made: one to create, one per further batch of 50 annotations. */
  requests: number;
}

/** The Checks API takes at most 50 annotations per request; more are appended by updating the run. */
export const ANNOTATIONS_PER_REQUEST = 50;

/** How many comments to read per page while looking for the marker (the API's maximum). */
const COMMENTS_PER_PAGE = 100;

export class GitHubApi {
  private readonly octokit: Octokit;

  constructor(
    token: string,
    private readonly repository: Repository,
  ) {
    // GITHUB_API_URL (GitHub Enterprise, or a test's local server) is read by the toolkit.
    this.octokit = getOctokit(token);
  }

  /** Creates the comment that carries `marker`, or updates it in place when the pull request has one. */
  async upsertComment(issue: number, marker: string, body: string): Promise<{ url: string; created: boolean } | undefined> {
    return this.tolerate('comment on the pull request', async () => {
      const existing = await this.findComment(issue, marker);
      if (existing) {
        const { data } = await this.octokit.rest.issues.updateComment({ ...this.repository, comment_id: existing, body });
        return { url: data.html_url, created: false };
      }
      const { data } = await this.octokit.rest.issues.createComment({ ...this.repository, issue_number: issue, body });
      return { url: data.html_url, created: true };
    });
  }

  /** Adds a new comment (the deploy's reply on the merged pull request). */
  async addComment(issue: number, body: string): Promise<{ url: string } | undefined> {
    return this.tolerate('reply on the pull request', async () => {
      const { data } = await this.octokit.rest.issues.createComment({ ...this.repository, issue_number: issue, body });
      return { url: data.html_url };
    });
  }

  /** The merged pull request a pushed commit came from, if any. */
  async mergedPullRequestOf(sha: string): Promise<number | undefined> {
    const pulls = await this.tolerate('find the merged pull request', async () => {
      const { data } = await this.octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...this.repository, commit_sha: sha });
      return data;
    });
    return pulls?.find((p) => p.merged_at)?.number;
  }

  /**
   * A completed check run on `headSha` with every annotation: created with the first 50, then updated
   * with the next 50 until all are sent; the conclusion is set by the last request.
   */
  async publishCheckRun(run: {
    name: string;
    headSha: string;
    title: string;
    summary: string;
    conclusion: 'success' | 'failure' | 'neutral';
    annotations: CheckAnnotation[];
    detailsUrl?: string;
  }): Promise<CheckRunResult | undefined> {
    return this.tolerate('publish the check run', async () => {
      const batches: CheckAnnotation[][] = [];
      for (let i = 0; i < run.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(run.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
      const output = (annotations: CheckAnnotation[] | undefined) => ({
        title: run.title,
        summary: run.summary,
        ...(annotations ? { annotations } : {}),
      });
      const last = batches.length <= 1;
      const { data } = await this.octokit.rest.checks.create({
        ...this.repository,
        name: run.name,
        head_sha: run.headSha,
        ...(run.detailsUrl ? { details_url: run.detailsUrl } : {}),
        ...(last ? { status: 'completed' as const, conclusion: run.conclusion } : { status: 'in_progress' as const }),
        output: output(batches[0]),
      });
      for (const [i, batch] of batches.entries()) {
        if (i === 0) continue;
        const final = i === batches.length - 1;
        await this.octokit.rest.checks.update({
          ...this.repository,
          check_run_id: data.id,
          ...(final ? { status: 'completed' as const, conclusion: run.conclusion } : {}),
          output: output(batch),
        });
      }
      return { id: data.id, url: data.html_url ?? '', requests: Math.max(1, batches.length) };
    });
  }

  private async findComment(issue: number, marker: string): Promise<number | undefined> {
    for await (const page of this.octokit.paginate.iterator(this.octokit.rest.issues.listComments, {
      ...this.repository,
      issue_number: issue,
      per_page: COMMENTS_PER_PAGE,
    })) {
      const found = page.data.find((c) => c.body?.startsWith(marker));
      if (found) return found.id;
    }
    return undefined;
  }

  /** Runs a call; a refusal (no permission, not found, rate limit, invalid request) becomes a warning. */
  private async tolerate<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      // Whatever GitHub answers, the verdict stays the review's: an outage or a refusal is reported, not fatal.
      const status = (error as { status?: number }).status;
      const why =
        status === 401 || status === 403 || status === 404
          ? `the token may not do this (a pull request from a fork gets a read-only token; otherwise grant it in \`permissions:\`, see ${docsPageUrl('action.md#pull-requests-from-forks')})`
          : status === undefined
            ? 'GitHub could not be reached'
            : `GitHub answered ${status}`;
      core.warning(`ClickPlan could not ${what}: ${why}. ${(error as Error).message}. The review is in the job summary.`);
      return undefined;
    }
  }
}
