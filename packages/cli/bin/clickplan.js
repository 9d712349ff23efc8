#!/usr/bin/env node
// Runs the TypeScript entry directly through tsx, so the command works in the repository without a
// build step. (A bundled build for publishing comes with the Action's esbuild setup.)
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
