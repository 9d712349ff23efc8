#!/usr/bin/env node
// The language server for any editor: `clickplan-language-server --stdio`. Runs the TypeScript entry
// through tsx, as the CLI does; the VS Code extension ships a bundle of the same entry instead.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
