import { analyzeFiles } from '../packages/core/src/inspect/analyze.js';
import { loadProject } from '../packages/core/src/project/project.js';
import { grantsOf } from '../packages/core/src/plan/grants.js';
const project = loadProject('fixtures/layouts/environment');
const analysis = analyzeFiles(project.files, { defaultDatabase: project.config.database });
console.log(grantsOf(analysis.schema).filter(g => g.grantee.includes('globex')));
console.log(analysis.schema.objects.filter(o => o.kind === 'user' || o.kind === 'role').map(o => o.name));
