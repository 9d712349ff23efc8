// `@clickplan/core/editor`: The editor's view of a repository: what a language server answers.
export * from '../editor/index.js';
