/**
 * Where ClickPlan's documentation is published: the `docs/` folder of the repository, as GitHub shows
 * it. Every link a message, a SARIF log, a pull request comment or the editor gives is built from
 * this, so links work outside a checkout. Front ends take an override: the Action's `docs-url` input
 * (default: the docs of the Action's own version), the language server's `docsBaseUrl`
 * initialization option, `CLICKPLAN_DOCS_URL` for the CLI.
 */
export const DOCS_BASE_URL = 'https://github.com/clickplan/clickplan/blob/main/docs';

/** The URL of a page of the docs folder: `docsPageUrl('config.md#paths')`. */
export function docsPageUrl(page: string, base: string = DOCS_BASE_URL): string {
  return `${base.replace(/\/+$/, '')}/${page}`;
}
